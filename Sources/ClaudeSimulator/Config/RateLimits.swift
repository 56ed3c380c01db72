/// Per-minute limits of one rate-limit bucket: requests, input tokens and output tokens.
public struct RateLimits: Sendable, Hashable, Codable {
    /// Requests per minute.
    public var requestsPerMinute: Int
    /// Input tokens per minute (uncached input plus cache writes; cache reads do not count).
    public var inputTokensPerMinute: Int
    /// Output tokens per minute.
    public var outputTokensPerMinute: Int

    /// Limits in requests, input tokens and output tokens per minute.
    public init(requestsPerMinute: Int, inputTokensPerMinute: Int, outputTokensPerMinute: Int) {
        self.requestsPerMinute = requestsPerMinute
        self.inputTokensPerMinute = inputTokensPerMinute
        self.outputTokensPerMinute = outputTokensPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "rpm", inputTokensPerMinute = "itpm", outputTokensPerMinute = "otpm"
    }
}
