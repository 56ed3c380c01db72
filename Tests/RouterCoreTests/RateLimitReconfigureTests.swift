import Testing

@testable import RouterCore

/// A policy reload changes a bucket's limits in place; `headroom_percent` keeps the buckets below the API's.
@Suite struct RateLimitReconfigureTests {
    static let rpmOnly = RateLimitConfig(requestsPerMinute: 60, inputTokensPerMinute: nil, outputTokensPerMinute: nil)

    @Test func aMarginPacesBelowTheConfiguredLimits() {
        let limiter = RateLimiter(
            config: RateLimitConfig(
                requestsPerMinute: 1_000, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000,
                headroomPercent: 10),
            now: 0)
        #expect(limiter.headroom(now: 0) == Headroom(requests: 900, inputTokens: 1_800_000, outputTokens: 360_000))
    }

    @Test func aMarginAppliesToLimitsAndRemainingReportedByHeaders() {
        var limiter = RateLimiter(config: RateLimitConfig.learnFromHeaders.withHeadroom(10), now: 0)
        limiter.observe(
            RateLimitObservation(requests: .init(limit: 2_000, remaining: 1_500)), now: 0)
        // Capacity 1,800 (2,000 less 10 %); level at most 1,500 less the 200 the margin keeps.
        #expect(limiter.headroom(now: 0).requests == 1_300)
        #expect(limiter.millisUntilAvailable(requests: 1_800, input: 0, output: 0, now: 0) > 0)
    }

    @Test func raisingTheLimitKeepsTheLevelAndRefillsFaster() {
        var limiter = RateLimiter(config: Self.rpmOnly, now: 0)
        for _ in 0..<60 { _ = limiter.reserve(now: 0, input: 0, maxOutput: 0) }
        #expect(limiter.headroom(now: 0).requests == 0)
        limiter.reconfigure(
            RateLimitConfig(requestsPerMinute: 600, inputTokensPerMinute: nil, outputTokensPerMinute: nil), now: 0)
        // A reload does not hand out a fresh bucket: still empty, but 10 a second come back now instead of 1.
        #expect(limiter.headroom(now: 0).requests == 0)
        #expect(limiter.headroom(now: 1_000).requests == 10)
        #expect(limiter.config.requestsPerMinute == 600)
    }

    @Test func loweringTheLimitClampsTheLevelAndAReservationStillSettles() {
        var limiter = RateLimiter(
            config: RateLimitConfig(requestsPerMinute: nil, inputTokensPerMinute: nil, outputTokensPerMinute: 6_000),
            now: 0)
        guard case .granted(let held) = limiter.reserve(now: 0, input: 0, maxOutput: 1_000) else {
            Issue.record("expected a grant")
            return
        }
        limiter.reconfigure(
            RateLimitConfig(requestsPerMinute: nil, inputTokensPerMinute: nil, outputTokensPerMinute: 3_000), now: 0)
        #expect(limiter.headroom(now: 0).outputTokens == 3_000)
        // The call reserved 1,000 and used 100: 900 come back, but never above the new capacity.
        limiter.reconcile(held, usage: TokenUsage(output: 100), now: 0)
        #expect(limiter.headroom(now: 0).outputTokens == 3_000)
    }

    @Test func aDimensionLearntFromHeadersSurvivesAReloadThatLeavesItOut() {
        var limiter = RateLimiter(config: .learnFromHeaders, now: 0)
        limiter.observe(RateLimitObservation(inputTokens: .init(limit: 50_000)), now: 0)
        limiter.reconfigure(
            RateLimitConfig(requestsPerMinute: 100, inputTokensPerMinute: nil, outputTokensPerMinute: nil), now: 0)
        #expect(limiter.headroom(now: 0) == Headroom(requests: 100, inputTokens: 50_000, outputTokens: nil))
    }

    @Test func queuedWaitersAreKeptAndGrantedWhenAReloadRaisesTheLimit() {
        var queue = AdmissionQueue(
            bucket: "b", limiter: RateLimiter(config: Self.rpmOnly, now: 0),
            config: AdmissionConfig(interactiveCapacity: 4, backgroundCapacity: 4, maxWaitMillis: 60_000))
        for _ in 0..<60 { _ = queue.enqueue(priority: .interactive, deadline: nil, input: 0, maxOutput: 0, now: 0) }
        var ids: [AdmissionQueue.WaiterID] = []
        for _ in 0..<3 {
            if case .queued(let id) = queue.enqueue(priority: .background, deadline: nil, input: 0, maxOutput: 0, now: 0)
                .admission
            {
                ids.append(id)
            }
        }
        #expect(ids.count == 3)
        // Fewer slots and a faster bucket: nobody is dropped; after 100 ms the new rate (60 a second) frees 6.
        let actions = queue.reconfigure(
            limits: RateLimitConfig(requestsPerMinute: 3_600, inputTokensPerMinute: nil, outputTokensPerMinute: nil),
            admission: AdmissionConfig(interactiveCapacity: 1, backgroundCapacity: 1, maxWaitMillis: 60_000), now: 0)
        #expect(actions.grants.isEmpty && actions.expiries.isEmpty)
        #expect(queue.depth(.background) == 3)
        #expect(queue.config.backgroundCapacity == 1)
        let later = queue.poll(now: 100)
        #expect(later.grants.map(\.id) == ids)
    }

    @Test func aSmallerQueueRefusesNewcomersUntilItHasDrained() {
        var queue = AdmissionQueue(
            bucket: "b", limiter: RateLimiter(config: Self.rpmOnly, now: 0),
            config: AdmissionConfig(interactiveCapacity: 4, backgroundCapacity: 4, maxWaitMillis: 60_000))
        for _ in 0..<60 { _ = queue.enqueue(priority: .interactive, deadline: nil, input: 0, maxOutput: 0, now: 0) }
        for _ in 0..<2 { _ = queue.enqueue(priority: .interactive, deadline: nil, input: 0, maxOutput: 0, now: 0) }
        _ = queue.reconfigure(
            limits: Self.rpmOnly,
            admission: AdmissionConfig(interactiveCapacity: 1, backgroundCapacity: 1, maxWaitMillis: 60_000), now: 0)
        #expect(queue.depth(.interactive) == 2)
        let newcomer = queue.enqueue(priority: .interactive, deadline: nil, input: 0, maxOutput: 0, now: 0)
        guard case .refused(let refusal) = newcomer.admission else {
            Issue.record("expected a refusal, got \(newcomer.admission)")
            return
        }
        #expect(refusal.code == .queueFull)
    }
}

extension RateLimitConfig {
    func withHeadroom(_ percent: Int64) -> RateLimitConfig {
        var copy = self
        copy.headroomPercent = percent
        return copy
    }
}
