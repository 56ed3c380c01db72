/// `error.type` of an API error, an open set: unknown types are kept as their string.
public struct ErrorType: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The type string.
    public var rawValue: String
    /// Wraps a type string.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a type string literal.
    public init(stringLiteral value: String) { rawValue = value }
    /// The type string.
    public var description: String { rawValue }

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

    /// The HTTP status the API answers with for this type; 500 for unknown types.
    public var httpStatus: Int {
        switch self {
        case .invalidRequest: 400
        case .authentication: 401
        case .billing: 402
        case .permission: 403
        case .notFound: 404
        case .conflict: 409
        case .requestTooLarge: 413
        case .rateLimit: 429
        case .api: 500
        case .timeout: 504
        case .overloaded: 529
        default: 500
        }
    }

    /// The type the API uses for an HTTP status: the known mapping, else `invalid_request_error` for other 4xx
    /// and `api_error` for anything else.
    public init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .invalidRequest
        case 401: self = .authentication
        case 402: self = .billing
        case 403: self = .permission
        case 404: self = .notFound
        case 409: self = .conflict
        case 413: self = .requestTooLarge
        case 429: self = .rateLimit
        case 504: self = .timeout
        case 529: self = .overloaded
        case 400..<500: self = .invalidRequest
        default: self = .api
        }
    }
}
