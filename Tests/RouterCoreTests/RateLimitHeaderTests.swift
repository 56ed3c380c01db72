import ClaudeAPI
import Testing

@testable import RouterCore

@Suite struct RateLimitHeaderTests {
    static let config = RateLimitConfig(
        requestsPerMinute: 50, inputTokensPerMinute: 30_000, outputTokensPerMinute: 8_000)

    /// The real Tier-1 response of the reference (§11), received one second before its requests reset.
    static let realHeaders: [String: String] = [
        "anthropic-ratelimit-input-tokens-limit": "30000",
        "anthropic-ratelimit-input-tokens-remaining": "28000",
        "anthropic-ratelimit-input-tokens-reset": "2026-02-25T20:02:37Z",
        "anthropic-ratelimit-output-tokens-limit": "8000",
        "anthropic-ratelimit-output-tokens-remaining": "8000",
        "anthropic-ratelimit-output-tokens-reset": "2026-02-25T20:02:36Z",
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": "2026-02-25T20:02:32Z",
    ]
    /// 2026-02-25T20:02:31Z in Unix milliseconds.
    static let receivedAt: Int64 = 1_772_049_751_000

    @Test func parsesTheRealHeadersIntoLimitsRemainingAndResetDurations() {
        let observation = RateLimitObservation(status: 200, receivedAtUnixMillis: Self.receivedAt) {
            Self.realHeaders[$0]
        }
        #expect(observation.requests == .init(limit: 50, remaining: 49, resetInMillis: 1_000))
        #expect(observation.inputTokens == .init(limit: 30_000, remaining: 28_000, resetInMillis: 6_000))
        #expect(observation.outputTokens == .init(limit: 8_000, remaining: 8_000, resetInMillis: 5_000))
        #expect(observation.retryAfterMillis == nil)
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-02-25T20:02:31Z", Int64(1_772_049_751_000)),
        ("2026-02-25T20:02:31.25Z", Int64(1_772_049_751_250)),
        ("2026-02-25T21:02:31+01:00", Int64(1_772_049_751_000)),
        ("2000-02-29T00:00:00Z", Int64(951_782_400_000)),
    ])
    func readsRFC3339Timestamps(text: String, millis: Int64) {
        #expect(RFC3339.unixMillis(text) == millis)
    }

    @Test(arguments: ["", "2026-02-25", "2026-13-01T00:00:00Z", "2026-02-25T20:02:31", "tomorrow"])
    func rejectsMalformedTimestamps(text: String) {
        #expect(RFC3339.unixMillis(text) == nil)
    }

    @Test func aRemainingLowerThanOursSlowsUsDown() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        limiter.observe(RateLimitObservation(inputTokens: .init(remaining: 1_000)), now: 0)
        #expect(limiter.headroom(now: 0).inputTokens == 1_000)
        #expect(limiter.reserve(now: 0, input: 2_000, maxOutput: 0) == .wait(until: 2_000))
    }

    @Test func aRemainingHigherThanOursIsIgnoredBecauseOursCountsRequestsInFlight() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        _ = limiter.reserve(now: 0, input: 20_000, maxOutput: 0)
        limiter.observe(RateLimitObservation(inputTokens: .init(remaining: 29_000)), now: 0)
        #expect(limiter.headroom(now: 0).inputTokens == 10_000)
    }

    @Test func aLaterResetThanOurRefillWouldGiveLowersTheLevel() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        // The API says the requests bucket is full only in 12 s: at 50 per minute that is 10 requests short.
        limiter.observe(RateLimitObservation(requests: .init(remaining: 50, resetInMillis: 12_000)), now: 0)
        #expect(limiter.headroom(now: 0).requests == 40)
        #expect(limiter.headroom(now: 12_000).requests == 50)
    }

    @Test func aNewLimitReplacesTheConfiguredOne() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        limiter.observe(RateLimitObservation(outputTokens: .init(limit: 4_000)), now: 0)
        #expect(limiter.headroom(now: 0).outputTokens == 4_000)
    }

    @Test func headersStartPacingADimensionThePolicyLeftOut() {
        var limiter = RateLimiter(config: .learnFromHeaders, now: 0)
        #expect(limiter.headroom(now: 0).requests == nil)
        limiter.observe(RateLimitObservation(requests: .init(limit: 50, remaining: 0)), now: 0)
        #expect(limiter.reserve(now: 0, input: 0, maxOutput: 0) == .wait(until: 1_200))
    }

    @Test func a429RetryAfterClosesTheBucketUntilItHasPassed() {
        let headers = ["retry-after": "7"]
        let observation = RateLimitObservation(status: 429, receivedAtUnixMillis: 0) { headers[$0] }
        #expect(observation.retryAfterMillis == 7_000)
        var limiter = RateLimiter(config: Self.config, now: 0)
        limiter.observe(observation, now: 100)
        #expect(limiter.reserve(now: 100, input: 1, maxOutput: 1) == .wait(until: 7_100))
        #expect(limiter.reserve(now: 7_100, input: 1, maxOutput: 1) != .wait(until: 7_100))
    }

    @Test func retryAfterOnA529DoesNotCloseTheBucket() {
        let headers = ["retry-after": "7"]
        let observation = RateLimitObservation(status: 529, receivedAtUnixMillis: 0) { headers[$0] }
        #expect(observation.retryAfterMillis == nil)
    }
}
