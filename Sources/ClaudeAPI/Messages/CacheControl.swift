/// A `cache_control` marker: `{"type":"ephemeral"}` with an optional `ttl` of `"5m"` or `"1h"`.
///
/// It may sit on a tool, a system text block, most message blocks, or the request itself (automatic caching).
public struct CacheControl: JSONView {
    /// How long a cache entry written at this breakpoint lives.
    public enum TTL: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Five minutes, the default when `ttl` is absent.
        case fiveMinutes = "5m"
        /// One hour, written at twice the base input price.
        case oneHour = "1h"

        /// Five minutes sorts before one hour.
        public static func < (lhs: TTL, rhs: TTL) -> Bool { lhs == .fiveMinutes && rhs == .oneHour }
    }

    /// The `cache_control` object.
    public var raw: JSONObject

    /// Wraps a `cache_control` object.
    public init(raw: JSONObject) { self.raw = raw }

    /// An ephemeral marker; `ttl` nil leaves the field out (the API then uses 5 minutes).
    public init(ttl: TTL? = nil) {
        raw = ["type": "ephemeral"]
        if let ttl { raw["ttl"] = .string(ttl.rawValue) }
    }

    /// The `type` field; `"ephemeral"` is the only one the API knows.
    public var type: String {
        get { raw.string("type") ?? "" }
        set { raw.set("type", string: newValue) }
    }

    /// The effective TTL: the `ttl` field, or 5 minutes when it is absent or unknown.
    public var ttl: TTL {
        get { raw.string("ttl").flatMap(TTL.init(rawValue:)) ?? .fiveMinutes }
        set { raw.set("ttl", string: newValue.rawValue) }
    }

    /// The `ttl` field as written, nil when absent.
    public var ttlField: String? {
        get { raw.string("ttl") }
        set { raw.set("ttl", string: newValue) }
    }
}
