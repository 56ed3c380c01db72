import RouterCore
public import ClaudeAPI
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An error the router answers itself, in the Claude API's error shape: `{"type":"error","error":{…}}`.
///
/// Every path that refuses a request ends here, so a client (an SDK) sees the same typed errors it would see from the
/// API: 400 `invalid_request_error`, 401 `authentication_error`, 403 `permission_error`, 404 `not_found_error`,
/// 405, 413 `request_too_large`, 429 `rate_limit_error` (with `retry-after`), 500 `api_error`, 529 `overloaded_error`.
public struct RouterHTTPError: HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The API error type.
    public var type: ErrorType
    /// A message safe to show the client: it never contains a key.
    public var message: String
    /// Extra headers, e.g. `retry-after`.
    public var headers: HTTPFields

    /// Creates an error with the status its type maps to, unless `status` is given.
    public init(_ type: ErrorType, _ message: String, status: Int? = nil, headers: HTTPFields = [:]) {
        self.type = type
        self.message = message
        self.status = HTTPResponse.Status(code: status ?? type.httpStatus)
        self.headers = headers
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestID: nil)
    }

    /// The error as a response, with `request_id` in the body when one is known.
    public func response(requestID: String?) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        if let requestID { fields[HTTPField.Name.routerRequestID] = requestID }
        AccessLogEntry.current?.update { $0.errorType = type.rawValue }
        // The one retry rule (RouterCore's), so a client's SDK retries exactly what the router itself would.
        let retryable = RetryPolicy.isRetryable(status: Int(status.code), hints: RetryHints())
        fields[HTTPField.Name("x-should-retry")!] = retryable ? "true" : "false"
        let body = ErrorResponse.body(type: type, message: message, requestID: requestID)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalid(_ message: String) -> RouterHTTPError { RouterHTTPError(.invalidRequest, message) }

    /// A routing refusal as the API's error: the core names the type and status (a budget is 402
    /// `budget_exceeded_error`, not a rate limit).
    static func routing(_ error: RoutingError) -> RouterHTTPError {
        RouterHTTPError(ErrorType(rawValue: error.code.apiErrorType), error.message, status: error.code.httpStatus)
    }
}

extension HTTPField.Name {
    static let routerRequestID = HTTPField.Name("x-router-request-id")!
    static let routerModel = HTTPField.Name("x-router-model")!
    static let routerTaskType = HTTPField.Name("x-router-task-type")!
    static let routerConfidence = HTTPField.Name("x-router-confidence")!
    static let routerDifficulty = HTTPField.Name("x-router-difficulty")!
    static let routerCost = HTTPField.Name("x-router-cost-usd")!
    static let routerEstimatedCost = HTTPField.Name("x-router-estimated-cost-usd")!
    static let routerOverhead = HTTPField.Name("x-router-overhead-ms")!
    static let routerFallback = HTTPField.Name("x-router-fallback-from")!
    static let routerCachePlan = HTTPField.Name("x-router-cache-plan")!
    static let routerRetries = HTTPField.Name("x-router-retries")!
    static let apiKey = HTTPField.Name("x-api-key")!
    static let anthropicVersion = HTTPField.Name("anthropic-version")!
    static let anthropicBeta = HTTPField.Name("anthropic-beta")!
    static let taskTypeHint = HTTPField.Name("x-router-task-type")!
    static let priorityHint = HTTPField.Name("x-router-priority")!
    static let retryAfter = HTTPField.Name("retry-after")!
    static let requestID = HTTPField.Name("request-id")!
}
