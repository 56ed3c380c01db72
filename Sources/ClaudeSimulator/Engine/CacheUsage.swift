/// How a request's input splits under prompt caching, exactly as the API bills it.
public struct CacheUsage: Sendable, Hashable {
    /// Tokens after the last breakpoint (billed at the base input rate).
    public var inputTokens: Int
    /// Tokens written with a 5-minute TTL.
    public var cacheWrite5m: Int
    /// Tokens written with a 1-hour TTL.
    public var cacheWrite1h: Int
    /// Tokens read from the cache.
    public var cacheRead: Int

    /// A split of a request's input tokens.
    public init(inputTokens: Int, cacheWrite5m: Int = 0, cacheWrite1h: Int = 0, cacheRead: Int = 0) {
        self.inputTokens = inputTokens
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    /// `cache_creation_input_tokens`: both writes.
    public var cacheCreation: Int { cacheWrite5m + cacheWrite1h }
    /// All input: uncached, written and read.
    public var totalInput: Int { inputTokens + cacheCreation + cacheRead }
}
