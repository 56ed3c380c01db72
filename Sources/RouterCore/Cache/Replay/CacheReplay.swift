import ClaudeAPI
import Foundation

/// Replays a trace through a caching strategy against `PromptCacheModel` and prices the input side exactly.
public enum CacheReplay {
    /// How breakpoints are chosen.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// No breakpoints: every token is plain input.
        case none
        /// A 5m breakpoint on the last block of every request (what top-level automatic caching does).
        case always5m = "always-5m"
        /// A 1h breakpoint on the last block of every request.
        case always1h = "always-1h"
        /// The router's planner, learning as the trace goes.
        case planner
        /// The oracle, but blind to prefixes never seen before: the ceiling for any planner that learns a prefix
        /// from one sighting, as the router's does.
        case learningOracle = "oracle-after-first-sighting"
        /// The planner's decision function fed the true future: each boundary's exact hit count per TTL, and
        /// the cache's true contents.
        case oracle
    }

    /// What one replay cost and did.
    public struct Result: Sendable, Hashable {
        /// The strategy replayed.
        public var strategy: Strategy
        /// Requests replayed.
        public var requests: Int
        /// Requests with a cache read.
        public var requestsWithRead: Int
        /// Requests the cache model rejected (over 4 breakpoints or a bad TTL order): must be 0.
        public var rejected: Int
        /// Input-side token totals.
        public var usage: TokenUsage
        /// Input-side cost at the profile's prices (output is the same under every strategy and left out).
        public var inputCost: Money
        /// Wall-clock time spent planning, in nanoseconds (planner and oracle only).
        public var planningNanos: UInt64
    }

    /// Replays `trace` (sorted by arrival) with one strategy.
    ///
    /// - Parameter feedback: whether the planner learns from the usage the cache model reports (as the router
    ///   does from the API's response), besides its own marks.
    public static func run(
        _ trace: [TraceRequest], strategy: Strategy, profile: CacheModelProfile, policy: CachePolicy = CachePolicy(),
        readableDelayMillis: Int64 = 1_000, feedback: Bool = true
    ) -> Result {
        var cache = PromptCacheModel(
            minCacheableTokens: profile.minCacheableTokens, readableDelayMillis: readableDelayMillis)
        let planner = CachePlanner(policy: policy)
        let hashes = trace.map(\.prefixHashes)
        let tokens = trace.map(\.prefixTokens)
        let future =
            strategy == .oracle || strategy == .learningOracle
            ? FutureIndex(hashes: hashes, times: trace.map(\.timestampMillis)) : nil
        var usage = TokenUsage.zero
        var withRead = 0
        var rejected = 0
        var planningNanos: UInt64 = 0
        var seen: Set<UInt64> = []
        for (index, request) in trace.enumerated() {
            let now = request.timestampMillis
            var breakpoints: [PromptCacheModel.Breakpoint] = []
            // The planner's request and plan, to feed the reported usage back once the cache has served it.
            var sent: (features: CacheRequestFeatures, plan: CachePlan)?
            switch strategy {
            case .none:
                break
            case .always5m, .always1h:
                let ttl: CacheTTL = strategy == .always1h ? .oneHour : .fiveMinutes
                breakpoints = [PromptCacheModel.Breakpoint(position: request.hashIDs.count - 1, ttl: ttl)]
            case .planner:
                let features = request.features(
                    model: profile.model, prefixHashes: hashes[index], prefixTokens: tokens[index])
                let start = DispatchTime.now().uptimeNanoseconds
                let plan = planner.plan(features, profile: profile, policy: policy, nowMillis: now)
                planner.observe(features, plan: plan, nowMillis: now)
                planningNanos += DispatchTime.now().uptimeNanoseconds - start
                sent = (features, plan)
                breakpoints = plan.breakpoints.map { .init(position: $0.blockPosition, ttl: $0.ttl) }
            case .oracle, .learningOracle:
                let features = request.features(
                    model: profile.model, prefixHashes: hashes[index], prefixTokens: tokens[index])
                let start = DispatchTime.now().uptimeNanoseconds
                let blind = strategy == .learningOracle
                let assessments = hashes[index].map { hash in
                    BoundaryAssessment(
                        estimate: blind && !seen.contains(hash)
                            ? ReuseEstimate(hits5mMilli: 0, hits1hMilli: 0)
                            : future!.hits(prefix: hash, after: index, readableDelayMillis: readableDelayMillis),
                        cachedTTL: cache.readableTTL(hash, nowMillis: now))
                }
                if blind { seen.formUnion(hashes[index]) }
                let plan = CacheDecision.plan(
                    features: features, assessments: assessments, profile: profile, policy: policy, nowMillis: now)
                planningNanos += DispatchTime.now().uptimeNanoseconds - start
                breakpoints = plan.breakpoints.map { .init(position: $0.blockPosition, ttl: $0.ttl) }
            }
            do {
                let served = try cache.serve(
                    prefixHashes: hashes[index], prefixTokens: tokens[index], breakpoints: breakpoints, nowMillis: now)
                usage = usage + served
                if served.cacheRead > 0 { withRead += 1 }
                if let sent, feedback {
                    // As the router does when the response arrives: the API's reported cache tokens correct
                    // what the planner believes is cached.
                    let start = DispatchTime.now().uptimeNanoseconds
                    planner.observeOutcome(
                        sent.features, plan: sent.plan, usage: served, nowMillis: now + readableDelayMillis)
                    planningNanos += DispatchTime.now().uptimeNanoseconds - start
                }
            } catch {
                rejected += 1
                usage.input += Int64(request.inputLength)
            }
        }
        let cost =
            CacheModelProfile.cost(tokens: Int(usage.input), perMTok: profile.inputPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheWrite5m), perMTok: profile.write5mPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheWrite1h), perMTok: profile.write1hPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheRead), perMTok: profile.readPerMTok)
        return Result(
            strategy: strategy, requests: trace.count, requestsWithRead: withRead, rejected: rejected, usage: usage,
            inputCost: cost, planningNanos: planningNanos)
    }

    /// For each prefix, the requests that carry it, to count the hits a write would get.
    struct FutureIndex {
        /// Prefix hash → (request index, arrival) in arrival order.
        var occurrences: [UInt64: [(index: Int, time: Int64)]] = [:]

        init(hashes: [[UInt64]], times: [Int64]) {
            for (index, prefixes) in hashes.enumerated() {
                for hash in prefixes { occurrences[hash, default: []].append((index, times[index])) }
            }
        }

        /// The exact hits a write of `prefix` by request `after` would earn per TTL: later requests carrying it,
        /// each within the TTL of the previous hit (hits refresh), not before the entry becomes readable.
        func hits(prefix: UInt64, after: Int, readableDelayMillis: Int64) -> ReuseEstimate {
            guard let list = occurrences[prefix] else { return ReuseEstimate(hits5mMilli: 0, hits1hMilli: 0) }
            var low = 0
            var high = list.count
            while low < high {
                let mid = (low + high) / 2
                if list[mid].index <= after { low = mid + 1 } else { high = mid }
            }
            let start = low > 0 ? list[low - 1].time : 0
            func chain(_ ttl: CacheTTL) -> Int {
                var last = start
                var count = 0
                for occurrence in list[low...] where count < 1_000 {
                    if occurrence.time - start < readableDelayMillis { continue }
                    guard occurrence.time - last <= ttl.millis else { break }
                    count += 1
                    last = occurrence.time
                }
                return count
            }
            return ReuseEstimate(hits5mMilli: chain(.fiveMinutes) * 1000, hits1hMilli: chain(.oneHour) * 1000)
        }
    }
}
