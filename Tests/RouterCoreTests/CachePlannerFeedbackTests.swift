import ClaudeAPI
import Foundation
import RouterCore
import Testing

/// The planner learns from the cache tokens the API reports, not only from its own marks.
@Suite("Cache planner feedback from reported usage")
struct CachePlannerFeedbackTests {
    let policy = CachePolicy()

    @Test("a prefix the API reports read is known to be cached, though the router never marked it")
    func reportedReadIsCached() {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 9)
        planner.observe(request, plan: nil, nowMillis: 0, requestID: "r1")
        // Another instance (or the client, earlier) wrote it: the API reads it.
        planner.observeOutcome(requestID: "r1", usage: TokenUsage(input: 10, cacheRead: 6_000), nowMillis: 1_000)
        let next = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 30_000)
        #expect(next.breakpoints.first?.expectsRead == true, "\(next.reasons)")
    }

    @Test("without the report, the same second sighting is a write, not a read")
    func withoutReportNoRead() {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 9)
        planner.observe(request, plan: nil, nowMillis: 0, requestID: "r1")
        let next = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 30_000)
        #expect(next.breakpoints.first?.expectsRead == false)
    }

    @Test(
        "after a marked request, the next one counts on a read only if the API read or wrote the prefix",
        arguments: [
            (TokenUsage(input: 5, cacheRead: 6_000), true),
            (TokenUsage(input: 5, cacheWrite5m: 6_000), true),
            // Neither read nor written: under the API's real minimum, or the write was refused.
            (TokenUsage(input: 6_005), false),
        ])
    func markedPrefixFollowsTheReport(usage: TokenUsage, cachedAfter: Bool) {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 11)
        planner.observe(request, plan: nil, nowMillis: 0)
        let marked = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 60_000)
        #expect(marked.breakpoints.count == 1)
        planner.observe(request, plan: marked, nowMillis: 60_000, requestID: "r2")
        planner.observeOutcome(requestID: "r2", usage: usage, nowMillis: 61_000)
        let next = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 120_000)
        #expect(next.breakpoints.first?.expectsRead == cachedAfter, "\(next.reasons)")
    }

    @Test("an entry believed cached that the API did not read (evicted early) is no longer counted on")
    func evictedEntryForgotten() {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 12)
        planner.observe(request, plan: nil, nowMillis: 0)
        let first = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 60_000)
        planner.observe(request, plan: first, nowMillis: 60_000)
        let believed = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 90_000)
        #expect(believed.breakpoints.first?.expectsRead == true)
        // Sent with the breakpoint, but the API reports plain input only: nothing was there, nothing written.
        planner.observe(request, plan: believed, nowMillis: 90_000, requestID: "r3")
        planner.observeOutcome(requestID: "r3", usage: TokenUsage(input: 6_000), nowMillis: 91_000)
        let after = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 100_000)
        #expect(after.breakpoints.first?.expectsRead != true)
    }

    @Test("the read is matched to its boundary on the API's scale, though the router's estimate is 20% low")
    func readMatchedAfterScaling() {
        let planner = CachePlanner()
        let request = features(
            [3_000, 6_000, 6_500], kinds: [.system, .message, .conversation], hashSeed: 13)
        planner.observe(request, plan: nil, nowMillis: 0, requestID: "r4")
        // The API counts 7,800 tokens where the router estimated 6,500 and read the 6,000-token prefix (7,200).
        planner.observeOutcome(requestID: "r4", usage: TokenUsage(input: 600, cacheRead: 7_200), nowMillis: 1_000)
        let snapshot = planner.tableSnapshot
        let observations = snapshot.observations(for: request, nowMillis: 2_000)
        #expect(observations.map { $0.prefix.cachedTTL(nowMillis: 2_000) } == [nil, .fiveMinutes, nil])
    }

    @Test("requests awaiting their outcome are bounded, and an unknown id is ignored")
    func pendingBounded() {
        let planner = CachePlanner()
        for i in 0..<(CachePlanner.maxPending + 500) {
            planner.observe(features([2_000], hashSeed: UInt64(i) + 100), plan: nil, nowMillis: 0, requestID: "r\(i)")
        }
        #expect(planner.pendingCount == CachePlanner.maxPending)
        planner.observeOutcome(requestID: "nobody", usage: TokenUsage(input: 1), nowMillis: 0)
        planner.observeOutcome(
            requestID: "r\(CachePlanner.maxPending + 499)", usage: TokenUsage(input: 1), nowMillis: 0)
        #expect(planner.pendingCount == CachePlanner.maxPending - 1)
    }

    @Test("a reloaded policy with a smaller table applies on the next plan")
    func reloadResizesTable() {
        let planner = CachePlanner(policy: CachePolicy(tableCapacity: 1_000))
        for i in 0..<900 {
            planner.observe(features([2_000], hashSeed: UInt64(i) + 10), plan: nil, nowMillis: Int64(i))
        }
        #expect(planner.tableCount == 900)
        _ = planner.plan(features([2_000]), profile: sonnet, policy: CachePolicy(tableCapacity: 64), nowMillis: 1_000)
        #expect(planner.tableCount <= 64)
        #expect(planner.tableSnapshot.capacity == 64)
    }
}

/// The reported usage also corrects the planner's token estimate and its idea of the model's real minimum.
@Suite("Cache planner feedback: token estimate and real minimum")
struct CachePlannerEstimateFeedbackTests {
    let policy = CachePolicy()

    /// Sends `request` twice a minute apart (so the second is planned from one sighting) and feeds back `usage`.
    func planAfterReport(_ planner: CachePlanner, _ request: CacheRequestFeatures, usage: TokenUsage, at t: Int64)
        -> CachePlan
    {
        let plan = planner.plan(request, profile: sonnet, policy: policy, nowMillis: t)
        planner.observe(request, plan: plan, nowMillis: t, requestID: "r\(t)")
        planner.observeOutcome(requestID: "r\(t)", usage: usage, nowMillis: t + 1_000)
        return plan
    }

    @Test("a prefix the router estimates under the minimum is marked once the API's counts show it is over")
    func underEstimateCorrected() {
        let planner = CachePlanner()
        // Estimated 900 tokens (under Sonnet's 1,024); the API counts 1,800 every time.
        let request = features([900], kinds: [.system], hashSeed: 21)
        let first = planAfterReport(planner, request, usage: TokenUsage(input: 1_800), at: 0)
        #expect(first.breakpoints.isEmpty)
        let second = planAfterReport(planner, request, usage: TokenUsage(input: 1_800), at: 60_000)
        // One report moved the estimate halfway (×1.5): 900 now stands for 1,350 tokens, over the minimum.
        #expect(second.breakpoints.map(\.kind) == [.system], "\(second.reasons)")
    }

    @Test("a prefix the API neither writes nor reads though marked is under its real minimum: not marked again")
    func realMinimumLearned() {
        let planner = CachePlanner()
        let request = features([1_500], kinds: [.system], hashSeed: 22)
        planner.observe(request, plan: nil, nowMillis: 0)
        let marked = planAfterReport(planner, request, usage: TokenUsage(input: 1_500), at: 60_000)
        #expect(marked.breakpoints.count == 1)
        // The API (whose real minimum is 2,048, say) cached nothing: the planner stops paying for the marker.
        let next = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 120_000)
        #expect(next.breakpoints.isEmpty, "\(next.reasons)")
        // A longer prefix (another client's) is still marked.
        let longer = features([3_000], kinds: [.system], client: "other", hashSeed: 23)
        planner.observe(longer, plan: nil, nowMillis: 100_000)
        let longPlan = planAfterReport(
            planner, longer, usage: TokenUsage(input: 0, cacheWrite5m: 3_000), at: 130_000)
        #expect(longPlan.breakpoints.count == 1)
        // More than an hour later the floor has lapsed: one odd report does not last.
        planner.observe(request, plan: nil, nowMillis: 3_700_000)
        let later = planner.plan(request, profile: sonnet, policy: policy, nowMillis: 3_760_000)
        #expect(later.breakpoints.count == 1, "\(later.reasons)")
    }
}
