import ClaudeAPI
import HTTPTypes
import Hummingbird
import Logging

/// The API's front door for every route: the `request-id` and organization headers on every response, the
/// authentication and version checks on `/v1/…`, and `SimulatorError`s rendered in the API's error shape with
/// the same request id as the header.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    let simulator: ClaudeSimulator

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let requestID = RequestIDs.next()
        var response: Response
        do {
            if request.uri.path.hasPrefix("/v1/") { try checkCredentials(request) }
            response = try await next(request, context)
        } catch let error as SimulatorError {
            response = errorResponse(error, requestID: requestID)
            simulator.logger.debug(
                "simulated error",
                metadata: ["status": "\(error.status.code)", "type": "\(error.type)", "path": "\(request.uri.path)"])
        } catch let error as any HTTPResponseError {
            // Hummingbird's own (404 for unknown paths, 405, body too large) in the API's shape.
            let type = error.status.code == 404 ? "not_found_error" : error.status.code == 413 ? "request_too_large" : "invalid_request_error"
            let message = error.status.code == 404 ? "Not Found" : "\(error.status.reasonPhrase)"
            response = errorResponse(SimulatorError(status: error.status, type: type, message: message), requestID: requestID)
        }
        response.headers[.requestIDHeader] = requestID
        response.headers[.organizationID] = simulator.config.organizationID
        return response
    }

    private func checkCredentials(_ request: Request) throws(SimulatorError) {
        let key = request.headers[.apiKey] ?? request.headers[.authorization].flatMap { value in
            value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : nil
        }
        guard let key, !key.isEmpty else {
            throw SimulatorError(status: .unauthorized, type: "authentication_error", message: "x-api-key header is required")
        }
        if let expected = simulator.config.apiKey, key != expected {
            throw SimulatorError(status: .unauthorized, type: "authentication_error", message: "invalid x-api-key")
        }
        guard let version = request.headers[.anthropicVersion] else {
            throw .invalidRequest("anthropic-version: header is required")
        }
        // Any dated version: the reference names 2023-06-01, but the anthropic Python SDK 2.14 sends 2026-10-21.
        guard Self.isDate(version) else {
            throw .invalidRequest("anthropic-version: invalid version '\(version)'")
        }
    }

    /// `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { i, b in i == 4 || i == 7 || (b >= 0x30 && b <= 0x39) }
    }

    private func errorResponse(_ error: SimulatorError, requestID: String) -> Response {
        var fields = error.headers
        fields[.contentType] = "application/json"
        fields[.shouldRetry] = error.shouldRetry ? "true" : "false"
        let bytes = error.body(requestID: requestID).serialized()
        return Response(status: error.status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
