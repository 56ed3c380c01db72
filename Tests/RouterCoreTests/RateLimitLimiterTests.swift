import Testing

@testable import RouterCore

@Suite struct RateLimitLimiterTests {
    static let config = RateLimitConfig(
        requestsPerMinute: 60, inputTokensPerMinute: 60_000, outputTokensPerMinute: 6_000)

    @Test func aGrantTakesOneRequestTheInputEstimateAndMaxTokens() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        let result = limiter.reserve(now: 0, input: 1_000, maxOutput: 500)
        #expect(result == .granted(Reservation(inputTokens: 1_000, outputTokens: 500, grantedAt: 0)))
        #expect(limiter.headroom(now: 0) == Headroom(requests: 59, inputTokens: 59_000, outputTokens: 5_500))
    }

    @Test func aRequestWaitsForTheScarcestDimensionAndTakesNothingWhileWaiting() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        _ = limiter.reserve(now: 0, input: 0, maxOutput: 6_000)
        // Output is empty: 600 output tokens refill in 6 s at 6,000 per minute.
        let result = limiter.reserve(now: 0, input: 10, maxOutput: 600)
        #expect(result == .wait(until: 6_000))
        #expect(limiter.headroom(now: 0) == Headroom(requests: 59, inputTokens: 60_000, outputTokens: 0))
    }

    @Test func aBurstOverTheRPMIsSpreadAtTheRefillRate() {
        var limiter = RateLimiter(
            config: RateLimitConfig(requestsPerMinute: 60, inputTokensPerMinute: nil, outputTokensPerMinute: nil),
            now: 0)
        var grants: [Int64] = []
        var now: Int64 = 0
        // 65 requests arrive at once; each waits for the time the limiter names, then asks again.
        for _ in 0..<65 {
            for _ in 0..<10 {
                switch limiter.reserve(now: now, input: 1, maxOutput: 1) {
                case .granted(let reservation):
                    grants.append(reservation.grantedAt)
                case .wait(let until):
                    now = until
                    continue
                }
                break
            }
        }
        #expect(grants.count == 65)
        #expect(grants.prefix(60).allSatisfy { $0 == 0 })
        #expect(Array(grants.suffix(5)) == [1_000, 2_000, 3_000, 4_000, 5_000])
    }

    @Test func reconcileReturnsUnusedOutputAndInput() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 2_000, maxOutput: 4_000) else {
            Issue.record("expected a grant")
            return
        }
        limiter.reconcile(reservation, usage: TokenUsage(input: 1_500, output: 300), now: 0)
        #expect(limiter.headroom(now: 0) == Headroom(requests: 59, inputTokens: 58_500, outputTokens: 5_700))
    }

    @Test func reconcileChargesAnUnderestimatedInput() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 1_000, maxOutput: 0) else {
            Issue.record("expected a grant")
            return
        }
        limiter.reconcile(reservation, usage: TokenUsage(input: 1_200, cacheWrite5m: 300), now: 0)
        #expect(limiter.headroom(now: 0).inputTokens == 58_500)
    }

    @Test func cacheReadsDoNotCountTowardITPM() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 10_000, maxOutput: 0) else {
            Issue.record("expected a grant")
            return
        }
        limiter.reconcile(reservation, usage: TokenUsage(input: 100, cacheRead: 9_900), now: 0)
        #expect(limiter.headroom(now: 0).inputTokens == 59_900)
    }

    @Test func cacheReadsCountWhereTheConfigurationSaysSo() {
        var config = Self.config
        config.cacheReadsCountTowardInput = true
        var limiter = RateLimiter(config: config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 10_000, maxOutput: 0) else {
            Issue.record("expected a grant")
            return
        }
        limiter.reconcile(reservation, usage: TokenUsage(input: 100, cacheRead: 9_900), now: 0)
        #expect(limiter.headroom(now: 0).inputTokens == 50_000)
    }

    @Test func releaseOfAnUnsentRequestReturnsEverything() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 1_000, maxOutput: 1_000) else {
            Issue.record("expected a grant")
            return
        }
        limiter.release(reservation, requestSent: false, now: 0)
        #expect(limiter.headroom(now: 0) == Headroom(requests: 60, inputTokens: 60_000, outputTokens: 6_000))
    }

    @Test func releaseOfASentRequestKeepsItsRequestSlotSpent() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        guard case .granted(let reservation) = limiter.reserve(now: 0, input: 1_000, maxOutput: 1_000) else {
            Issue.record("expected a grant")
            return
        }
        limiter.release(reservation, requestSent: true, now: 0)
        #expect(limiter.headroom(now: 0) == Headroom(requests: 59, inputTokens: 60_000, outputTokens: 6_000))
    }

    @Test func anOversizedRequestReservesAtMostTheCapacity() {
        var limiter = RateLimiter(config: Self.config, now: 0)
        let result = limiter.reserve(now: 0, input: 1_000_000, maxOutput: 64_000)
        #expect(result == .granted(Reservation(inputTokens: 60_000, outputTokens: 6_000, grantedAt: 0)))
    }
}
