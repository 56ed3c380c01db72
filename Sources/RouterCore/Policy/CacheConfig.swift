/// Prompt-caching defaults the cache planner works from.
public struct CacheConfig: Sendable, Hashable {
    /// A cache lifetime the API offers.
    public enum TTL: String, Sendable, Hashable, CaseIterable {
        case fiveMinutes = "5m"
        case oneHour = "1h"
    }

    /// Whether the router adds `cache_control` breakpoints at all.
    public var enabled: Bool
    /// The TTL of breakpoints the router adds.
    public var defaultTTL: CacheConfig.TTL
    /// Whether to cache the tool definitions.
    public var cacheTools: Bool
    /// Whether to cache the system prompt.
    public var cacheSystem: Bool
    /// Whether to cache the conversation history (a breakpoint on the last turn before the new one).
    public var cacheHistory: Bool
    /// Use the 1-hour TTL when the same prefix is expected again after this many seconds (beyond 5 minutes).
    public var oneHourAfterSeconds: Int64
    /// Keep the caller's own `cache_control` markers instead of planning new ones.
    public var respectClientBreakpoints: Bool

    /// Creates a cache configuration.
    public init(
        enabled: Bool = true, defaultTTL: CacheConfig.TTL = .fiveMinutes, cacheTools: Bool = true,
        cacheSystem: Bool = true, cacheHistory: Bool = true, oneHourAfterSeconds: Int64 = 300,
        respectClientBreakpoints: Bool = true
    ) {
        self.enabled = enabled
        self.defaultTTL = defaultTTL
        self.cacheTools = cacheTools
        self.cacheSystem = cacheSystem
        self.cacheHistory = cacheHistory
        self.oneHourAfterSeconds = oneHourAfterSeconds
        self.respectClientBreakpoints = respectClientBreakpoints
    }
}
