/// The tokens one call used, one field per kind the API bills separately.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens after the last cache breakpoint (the API's `input_tokens`).
    public var input: Int64
    /// Output tokens, thinking included.
    public var output: Int64
    /// Tokens written to the cache with a 5-minute TTL.
    public var cacheWrite5m: Int64
    /// Tokens written to the cache with a 1-hour TTL.
    public var cacheWrite1h: Int64
    /// Tokens read from the cache.
    public var cacheRead: Int64

    public init(input: Int64 = 0, output: Int64 = 0, cacheWrite5m: Int64 = 0, cacheWrite1h: Int64 = 0, cacheRead: Int64 = 0) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    public static let zero = TokenUsage()

    /// Every input token, cached or not: what the prompt would have cost as plain input.
    public var totalInput: Int64 { input + cacheWrite5m + cacheWrite1h + cacheRead }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            input: lhs.input + rhs.input, output: lhs.output + rhs.output,
            cacheWrite5m: lhs.cacheWrite5m + rhs.cacheWrite5m, cacheWrite1h: lhs.cacheWrite1h + rhs.cacheWrite1h,
            cacheRead: lhs.cacheRead + rhs.cacheRead)
    }
}
