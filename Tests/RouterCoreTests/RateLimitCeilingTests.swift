import Testing

@testable import RouterCore

/// limits.yaml is a ceiling: the API's reported limits lower a configured limit but do not raise it, unless the
/// policy says `upstream_may_raise: true`.
@Suite struct RateLimitCeilingTests {
    static let config = RateLimitConfig(
        requestsPerMinute: 50, inputTokensPerMinute: 30_000, outputTokensPerMinute: 8_000)

    @Test func aHigherReportedLimitDoesNotRaiseAConfiguredOne() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        limiter.observe(
            RateLimitObservation(
                requests: .init(limit: 4_000), inputTokens: .init(limit: 2_000_000), outputTokens: .init(limit: 400_000)),
            now: 0)
        let headroom = limiter.headroom(now: 0)
        #expect(headroom.requests == 50 && headroom.inputTokens == 30_000 && headroom.outputTokens == 8_000)
        // Still paced at 50 a minute: the 51st request waits.
        for _ in 0..<50 { _ = limiter.reserve(now: 0, input: 0, maxOutput: 0) }
        guard case .wait = limiter.reserve(now: 0, input: 0, maxOutput: 0) else {
            Issue.record("the 51st request of the minute was granted")
            return
        }
    }

    @Test func aLowerReportedLimitStillLowersIt() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        limiter.observe(RateLimitObservation(requests: .init(limit: 20)), now: 0)
        #expect(limiter.headroom(now: 0).requests == 20)
    }

    @Test func thePolicyCanLetTheUpstreamRaiseIt() {
        var config = Self.config
        config.upstreamMayRaise = true
        var limiter = RateLimiter(config: config, now: 0)
        limiter.observe(RateLimitObservation(requests: .init(limit: 4_000)), now: 0)
        #expect(limiter.headroom(now: 0).requests == 50, "the level is kept; the capacity grows")
        #expect(limiter.headroom(now: 60_000).requests == 4_000)
    }

    @Test func anUnconfiguredDimensionTakesTheReportedLimit() {
        var limiter = RateLimiter(config: .learnFromHeaders, now: 0)
        limiter.observe(RateLimitObservation(requests: .init(limit: 4_000)), now: 0)
        #expect(limiter.headroom(now: 0).requests == 4_000)
    }
}
