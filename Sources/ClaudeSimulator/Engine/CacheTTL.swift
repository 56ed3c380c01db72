/// A cache breakpoint's lifetime: `5m` (the default) or `1h`.
public enum CacheTTL: String, Sendable, Hashable, Codable {
    case fiveMinutes = "5m"
    case oneHour = "1h"

    /// The lifetime in seconds.
    public var seconds: Double { self == .fiveMinutes ? 300 : 3_600 }
}
