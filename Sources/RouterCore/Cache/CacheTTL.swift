public import ClaudeAPI

/// The lifetime of a prompt-cache entry: the API's two `ttl` values.
///
/// Ordered by length, so `oneHour > fiveMinutes`; the API requires breakpoints to be non-increasing in TTL
/// along tools → system → messages (a 1h breakpoint may not follow a 5m one).
public enum CacheTTL: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// `"5m"`: the default, also what a bare `{"type":"ephemeral"}` means.
    case fiveMinutes = "5m"
    /// `"1h"`.
    case oneHour = "1h"

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
        guard let text = ttl.stringValue, let value = CacheTTL(rawValue: text) else { return nil }
        self = value
    }

    /// Five minutes sorts before one hour.
    public static func < (lhs: CacheTTL, rhs: CacheTTL) -> Bool { lhs.millis < rhs.millis }
}
