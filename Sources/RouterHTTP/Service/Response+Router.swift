import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response of `value`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }

    /// An HTML response that loads nothing from anywhere (CSP), is never cached or framed.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
                HTTPField.Name("x-content-type-options")!: "nosniff", HTTPField.Name("referrer-policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
