/// The tokens one call used, one field per kind the API bills separately, and the server-tool requests it billed.
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
    /// Web searches the call made (`usage.server_tool_use.web_search_requests`), billed per search.
    public var webSearchRequests: Int64

    public init(
        input: Int64 = 0, output: Int64 = 0, cacheWrite5m: Int64 = 0, cacheWrite1h: Int64 = 0, cacheRead: Int64 = 0,
        webSearchRequests: Int64 = 0
    ) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
        self.webSearchRequests = webSearchRequests
    }

    public static let zero = TokenUsage()

    /// Every input token, cached or not: what the prompt would have cost as plain input.
    ///
    /// Saturates at `Int64.max` rather than trapping; a usage that large is refused by `Pricing` (`checkedCost`).
    public var totalInput: Int64 {
        var sum: Int64 = 0
        for part in [input, cacheWrite5m, cacheWrite1h, cacheRead] {
            let (next, overflow) = sum.addingReportingOverflow(part)
            if overflow { return .max }
            sum = next
        }
        return sum
    }

    /// Whether every count is non-negative: the API never reports less than nothing.
    public var isNonNegative: Bool {
        input >= 0 && output >= 0 && cacheWrite5m >= 0 && cacheWrite1h >= 0 && cacheRead >= 0 && webSearchRequests >= 0
    }

    /// The field-by-field sum, saturating at `Int64.max` (sums of recorded, priced usages never come near it).
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? (b > 0 ? .max : .min) : sum
        }
        return TokenUsage(
            input: add(lhs.input, rhs.input), output: add(lhs.output, rhs.output),
            cacheWrite5m: add(lhs.cacheWrite5m, rhs.cacheWrite5m), cacheWrite1h: add(lhs.cacheWrite1h, rhs.cacheWrite1h),
            cacheRead: add(lhs.cacheRead, rhs.cacheRead),
            webSearchRequests: add(lhs.webSearchRequests, rhs.webSearchRequests))
    }
}
