/// The limits of one rate-limit bucket: what the policy's tier says before the API's headers say otherwise.
///
/// Each limit is per minute and refills continuously (the API's token-bucket model). `nil` means "not paced on
/// this dimension until a response's `anthropic-ratelimit-*` headers name a limit", which is also how a bucket
/// learns limits the policy left out.
public struct RateLimitConfig: Sendable, Hashable {
    /// Requests per minute (RPM).
    public var requestsPerMinute: Int64?
    /// Input tokens per minute (ITPM): uncached input plus cache writes.
    public var inputTokensPerMinute: Int64?
    /// Output tokens per minute (OTPM).
    public var outputTokensPerMinute: Int64?
    /// Whether cache reads count toward ITPM. False for every current model; true only for the retired
    /// Haiku 3.5 and Haiku 3 (reference §7.5).
    public var cacheReadsCountTowardInput: Bool
    /// The safety margin kept under the API's limits, in percent (0...90): the buckets pace at
    /// `limit × (100 − headroomPercent) / 100`, for the configured limits and for those the headers report, so
    /// traffic the router cannot see (another client of the same key, rounding) does not meet a 429 upstream.
    public var headroomPercent: Int64
    /// Whether a limit the API's headers report may raise a configured one. False (the default): the configured
    /// limits are a ceiling the headers can lower but not raise, so an operator's deliberately low limit holds.
    /// A dimension with no configured limit always takes the reported one.
    public var upstreamMayRaise: Bool = false

    /// Creates a bucket configuration; the defaults are the API's "Start" tier for current models
    /// (1,000 RPM, 2M ITPM, 400k OTPM) with no margin.
    public init(
        requestsPerMinute: Int64? = 1_000, inputTokensPerMinute: Int64? = 2_000_000,
        outputTokensPerMinute: Int64? = 400_000, cacheReadsCountTowardInput: Bool = false, headroomPercent: Int64 = 0
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.inputTokensPerMinute = inputTokensPerMinute
        self.outputTokensPerMinute = outputTokensPerMinute
        self.cacheReadsCountTowardInput = cacheReadsCountTowardInput
        self.headroomPercent = min(90, max(0, headroomPercent))
    }

    /// The rate the router paces at for an API limit: the limit less the margin, never below 1.
    public func paced(_ apiLimit: Int64) -> Int64 {
        max(1, apiLimit - reserve(of: apiLimit))
    }

    /// The part of an API limit the margin keeps unused (the margin is read as 0...90 whatever was stored).
    func reserve(of apiLimit: Int64) -> Int64 {
        max(0, apiLimit) * min(90, max(0, headroomPercent)) / 100
    }

    /// A configuration that paces nothing until the API's headers report limits.
    public static let learnFromHeaders = RateLimitConfig(
        requestsPerMinute: nil, inputTokensPerMinute: nil, outputTokensPerMinute: nil)
}
