/// `error.type` of an API error, an open set: unknown types are kept as their string.
public struct ErrorType: OpenStringValue {
    /// The type string.
    public var rawValue: String
    /// Wraps a type string.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// 400: malformed or invalid request.
    public static let invalidRequest: ErrorType = "invalid_request_error"
    /// 401: bad, revoked or expired key.
    public static let authentication: ErrorType = "authentication_error"
    /// 402: billing problem.
    public static let billing: ErrorType = "billing_error"
    /// 403: the key lacks permission.
    public static let permission: ErrorType = "permission_error"
    /// 404: no such resource.
    public static let notFound: ErrorType = "not_found_error"
    /// 409: conflicts with the resource's state.
    public static let conflict: ErrorType = "conflict_error"
    /// 413: the body is over the size limit.
    public static let requestTooLarge: ErrorType = "request_too_large"
    /// 429: rate or spend limit reached.
    public static let rateLimit: ErrorType = "rate_limit_error"
    /// 500: internal error.
    public static let api: ErrorType = "api_error"
    /// 504: timed out while processing.
    public static let timeout: ErrorType = "timeout_error"
    /// 529: the API is overloaded.
    public static let overloaded: ErrorType = "overloaded_error"

    /// The known types with the HTTP status the API answers each with, one status per type.
    static let statuses: [(type: ErrorType, status: Int)] = [
        (.invalidRequest, 400), (.authentication, 401), (.billing, 402), (.permission, 403), (.notFound, 404),
        (.conflict, 409), (.requestTooLarge, 413), (.rateLimit, 429), (.api, 500), (.timeout, 504), (.overloaded, 529),
    ]

    /// The HTTP status the API answers with for this type; 500 for unknown types.
    public var httpStatus: Int {
        Self.statuses.first { $0.type == self }?.status ?? 500
    }

    /// The type the API uses for an HTTP status: the known mapping, else `invalid_request_error` for other 4xx
    /// and `api_error` for anything else.
    public init(httpStatus: Int) {
        if let known = Self.statuses.first(where: { $0.status == httpStatus }) {
            self = known.type
        } else {
            self = (400..<500).contains(httpStatus) ? .invalidRequest : .api
        }
    }
}
