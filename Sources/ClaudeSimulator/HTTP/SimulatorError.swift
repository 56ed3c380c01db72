public import ClaudeAPI
public import HTTPTypes
public import Hummingbird

/// An error the simulator answers with, in the Claude API's shape:
/// `{"type":"error","error":{"type":…,"message":…},"request_id":…}`.
///
/// It is its own response (`HTTPResponseError`), so handlers can simply throw it.
public struct SimulatorError: Error, Sendable, HTTPResponseError {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The API's `error.type` (`invalid_request_error`, `overloaded_error`, …).
    public var type: String
    /// The human-readable message.
    public var message: String
    /// Extra headers (`retry-after`, rate-limit headers).
    public var headers: HTTPFields

    /// An error with an explicit status and type.
    public init(status: HTTPResponse.Status, type: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers
    }

    /// 400 `invalid_request_error`.
    public static func invalidRequest(_ message: String) -> SimulatorError {
        SimulatorError(status: .badRequest, type: "invalid_request_error", message: message)
    }

    /// 404 `not_found_error`.
    public static func notFound(_ message: String) -> SimulatorError {
        SimulatorError(status: .notFound, type: "not_found_error", message: message)
    }

    /// The error the real API sends for `status` (500 `api_error`, 529 `overloaded_error`, …), for injected faults.
    public static func forStatus(_ code: Int) -> SimulatorError {
        let status = HTTPResponse.Status(code: code)
        switch code {
        case 400: return .invalidRequest("Simulated invalid request.")
        case 401: return SimulatorError(status: status, type: "authentication_error", message: "invalid x-api-key")
        case 402: return SimulatorError(status: status, type: "billing_error", message: "Simulated billing error.")
        case 403: return SimulatorError(status: status, type: "permission_error", message: "Simulated permission error.")
        case 404: return .notFound("The requested resource could not be found.")
        case 409: return SimulatorError(status: status, type: "conflict_error", message: "Simulated conflict.")
        case 413: return SimulatorError(status: status, type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes.")
        case 429:
            return SimulatorError(
                status: status, type: "rate_limit_error",
                message: "This request would exceed the rate limit for your organization. (simulated)",
                headers: [.retryAfter: "1"])
        case 504: return SimulatorError(status: status, type: "timeout_error", message: "Request timed out.")
        case 529: return SimulatorError(status: status, type: "overloaded_error", message: "Overloaded")
        default:
            return SimulatorError(
                status: status, type: code >= 500 ? "api_error" : "invalid_request_error",
                message: code >= 500 ? "Internal server error" : "Simulated error \(code).")
        }
    }

    /// The error body (with `request_id` when known).
    public func body(requestID: String?) -> JSONValue {
        var object: JSONObject = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        if let requestID { object["request_id"] = .string(requestID) }
        return .object(object)
    }

    /// Whether the SDKs should retry: the API sends `x-should-retry` and the SDKs obey it first.
    var shouldRetry: Bool {
        let code = status.code
        return code == 408 || code == 409 || code == 429 || code >= 500
    }

    /// The response: the API's error body, `x-should-retry`, and the extra headers.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = request.headers[.requestIDHeader] ?? RequestIDs.next()
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.requestIDHeader] = requestID
        fields[.shouldRetry] = shouldRetry ? "true" : "false"
        let bytes = body(requestID: requestID).serialized()
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPField.Name {
    static let requestIDHeader = HTTPField.Name("request-id")!
    static let shouldRetry = HTTPField.Name("x-should-retry")!
    static let apiKey = HTTPField.Name("x-api-key")!
    static let anthropicVersion = HTTPField.Name("anthropic-version")!
    static let organizationID = HTTPField.Name("anthropic-organization-id")!
    static let simFault = HTTPField.Name("x-sim-fault")!
    static let simScenario = HTTPField.Name("x-sim-scenario")!
    static let simOutputTokens = HTTPField.Name("x-sim-output-tokens")!
    static let simToolUse = HTTPField.Name("x-sim-tool-use")!
    static let simThinkingTokens = HTTPField.Name("x-sim-thinking-tokens")!
    static let simBatchOutcome = HTTPField.Name("x-sim-batch-outcome")!
}
