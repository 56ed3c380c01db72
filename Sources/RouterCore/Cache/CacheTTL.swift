public import ClaudeAPI

/// The lifetime of a prompt-cache entry: the API's two `ttl` values, the same type as `CacheControl.TTL`.
///
/// One type for the wire and the planner, so a TTL read from a request, planned, written into `cache_control`
/// and parsed from `cache.yaml` never needs converting. Ordered by length (`oneHour > fiveMinutes`); the API
/// requires breakpoints to be non-increasing in TTL along tools → system → messages.
public typealias CacheTTL = CacheControl.TTL

extension CacheControl.TTL {
    /// The lifetime in milliseconds.
    public var millis: Int64 {
        switch self {
        case .fiveMinutes: 300_000
        case .oneHour: 3_600_000
        }
    }

    /// Reads a `cache_control` object's `ttl`; absent means 5m, an unknown value is nil.
    public init?(cacheControl: JSONValue) {
        guard case .object(let object) = cacheControl else { return nil }
        guard let ttl = object["ttl"] else {
            self = .fiveMinutes
            return
        }
        guard let text = ttl.stringValue, let value = CacheControl.TTL(rawValue: text) else { return nil }
        self = value
    }
}
