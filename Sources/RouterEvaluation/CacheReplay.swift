import ClaudeAPI
public import RouterCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// How the simulated API differs from what the planner assumes (all off by default).
    public struct Conditions: Sendable, Hashable {
        /// How long after its request starts an entry becomes readable.
        public var readableDelayMillis: Int64
        /// When set, the cache drops an entry this long after its last write or read, before its TTL.
        public var evictAfterMillis: Int64?
        /// The router's token estimate as a multiple of the API's count (0.8 = estimates 20 % low).
        public var tokenEstimateScale: Double
        /// The API's real minimum cacheable length, when it differs from the profile's.
        public var realMinimumTokens: Int?

        /// Creates conditions; the defaults are a faithful API: entries readable after 1 s, exact estimates.
        public init(
            readableDelayMillis: Int64 = 1_000, evictAfterMillis: Int64? = nil, tokenEstimateScale: Double = 1,
            realMinimumTokens: Int? = nil
        ) {
            self.readableDelayMillis = readableDelayMillis
            self.evictAfterMillis = evictAfterMillis
            self.tokenEstimateScale = tokenEstimateScale
            self.realMinimumTokens = realMinimumTokens
        }
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
        /// The most this strategy cost more than no caching over any 5-minute window (zero when it never did).
        public var worstWindowLoss: Money
        /// CPU time spent planning and learning, in nanoseconds: for the planner, the replay's CPU time less that
        /// of the same replay with its breakpoints given (so the clock is read twice, not per request); for the
        /// oracles, summed per request.
        public var planningNanos: UInt64
    }

    /// Replays `trace` (sorted by arrival) with one strategy.
    ///
    /// - Parameter feedback: whether the planner learns from the usage the cache model reports (as the router
    ///   does from the API's response), besides its own marks.
    public static func run(
        _ trace: [TraceRequest], strategy: Strategy, profile: CacheModelProfile, policy: CachePolicy = CachePolicy(),
        conditions: Conditions = Conditions(), feedback: Bool = true
    ) -> Result {
        let start = cpuNanos()
        var planned: [[PromptCacheModel.Breakpoint]] = []
        var result = run(trace, strategy: strategy, profile: profile, policy: policy, conditions: conditions,
            feedback: feedback, given: nil, planned: &planned)
        if strategy == .planner {
            let planning = cpuNanos() &- start
            let baselineStart = cpuNanos()
            var unused: [[PromptCacheModel.Breakpoint]] = []
            _ = run(trace, strategy: strategy, profile: profile, policy: policy, conditions: conditions,
                feedback: feedback, given: planned, planned: &unused)
            let baseline = cpuNanos() &- baselineStart
            result.planningNanos = planning > baseline ? planning - baseline : 0
        }
        return result
    }

    /// One replay; with `given`, the planner's breakpoints are taken from it instead of planned (the baseline
    /// of the planning-time measurement: everything else the same).
    static func run(
        _ trace: [TraceRequest], strategy: Strategy, profile: CacheModelProfile, policy: CachePolicy,
        conditions: Conditions, feedback: Bool, given: [[PromptCacheModel.Breakpoint]]?,
        planned: inout [[PromptCacheModel.Breakpoint]]
    ) -> Result {
        let delay = conditions.readableDelayMillis
        var cache = PromptCacheModel(
            minCacheableTokens: conditions.realMinimumTokens ?? profile.minCacheableTokens,
            readableDelayMillis: delay, evictAfterMillis: conditions.evictAfterMillis)
        let planner = CachePlanner(policy: policy)
        let future =
            strategy == .oracle || strategy == .learningOracle
            ? FutureIndex(hashes: trace.map(\.prefixHashes), times: trace.map(\.timestampMillis)) : nil
        var usage = TokenUsage.zero
        var withRead = 0
        var rejected = 0
        var planningNanos: UInt64 = 0
        var seen: Set<UInt64> = []
        var window = LossWindow(profile: profile)
        for (index, request) in trace.enumerated() {
            let now = request.timestampMillis
            let hashes = request.prefixHashes
            let tokens = request.prefixTokens
            var breakpoints: [PromptCacheModel.Breakpoint] = []
            // The planner's request and plan, to feed the reported usage back once the cache has served it.
            var sent: (features: CacheRequestFeatures, plan: CachePlan)?
            switch strategy {
            case .none:
                break
            case .always5m, .always1h:
                let ttl: CacheTTL = strategy == .always1h ? .oneHour : .fiveMinutes
                breakpoints = [PromptCacheModel.Breakpoint(position: request.blocks.count - 1, ttl: ttl)]
            case .planner:
                let features = request.features(
                    model: profile.model, prefixHashes: hashes, prefixTokens: tokens,
                    estimateScale: conditions.tokenEstimateScale)
                if let given {
                    breakpoints = given[index]
                    break
                }
                let plan = planner.plan(features, profile: profile, policy: policy, nowMillis: now)
                planner.observe(features, plan: plan, nowMillis: now)
                sent = (features, plan)
                breakpoints = plan.breakpoints.map { .init(position: $0.blockPosition, ttl: $0.ttl) }
                planned.append(breakpoints)
            case .oracle, .learningOracle:
                let features = request.features(model: profile.model, prefixHashes: hashes, prefixTokens: tokens)
                let start = cpuNanos()
                let blind = strategy == .learningOracle
                let assessments = features.boundaries.map { boundary in
                    BoundaryAssessment(
                        estimate: blind && !seen.contains(boundary.prefixHash)
                            ? ReuseEstimate(hits5mMilli: 0, hits1hMilli: 0)
                            : future!.hits(prefix: boundary.prefixHash, after: index, readableDelayMillis: delay),
                        cachedTTL: cache.readableTTL(boundary.prefixHash, nowMillis: now))
                }
                if blind { seen.formUnion(hashes) }
                let plan = CacheDecision.plan(
                    features: features, assessments: assessments, profile: profile, policy: policy, nowMillis: now)
                planningNanos += cpuNanos() &- start
                breakpoints = plan.breakpoints.map { .init(position: $0.blockPosition, ttl: $0.ttl) }
            }
            var served: TokenUsage
            do {
                served = try cache.serve(
                    prefixHashes: hashes, prefixTokens: tokens, breakpoints: breakpoints, nowMillis: now)
                if served.cacheRead > 0 { withRead += 1 }
                if let sent, feedback {
                    // As the router does when the response arrives: the API's reported cache tokens correct
                    // what the planner believes is cached.
                    planner.observeOutcome(sent.features, plan: sent.plan, usage: served, nowMillis: now + delay)
                }
            } catch {
                rejected += 1
                served = TokenUsage(input: Int64(request.inputLength))
            }
            usage = usage + served
            window.add(served, nowMillis: now)
        }
        return Result(
            strategy: strategy, requests: trace.count, requestsWithRead: withRead, rejected: rejected, usage: usage,
            inputCost: cost(usage, profile: profile), worstWindowLoss: window.worst, planningNanos: planningNanos)
    }

    /// The exact input-side cost of `usage` at the profile's prices.
    public static func cost(_ usage: TokenUsage, profile: CacheModelProfile) -> Money {
        CacheModelProfile.cost(tokens: Int(usage.input), perMTok: profile.inputPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheWrite5m), perMTok: profile.write5mPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheWrite1h), perMTok: profile.write1hPerMTok)
            + CacheModelProfile.cost(tokens: Int(usage.cacheRead), perMTok: profile.readPerMTok)
    }

    /// CPU time of the calling thread, in nanoseconds.
    static func cpuNanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// The worst extra cost against no caching over any 5-minute window of arrivals, exact (nano-dollars × 10⁶).
    struct LossWindow {
        let profile: CacheModelProfile
        var events: [(time: Int64, extra: Int128)] = []
        var head = 0
        var sum: Int128 = 0
        var worstScaled: Int128 = 0

        init(profile: CacheModelProfile) { self.profile = profile }

        mutating func add(_ usage: TokenUsage, nowMillis: Int64) {
            let input = Int128(profile.inputPerMTok.nanoUSD)
            // What this request cost beyond sending every token as plain input.
            let extra =
                Int128(usage.cacheWrite5m) * (Int128(profile.write5mPerMTok.nanoUSD) - input)
                + Int128(usage.cacheWrite1h) * (Int128(profile.write1hPerMTok.nanoUSD) - input)
                - Int128(usage.cacheRead) * (input - Int128(profile.readPerMTok.nanoUSD))
            events.append((nowMillis, extra))
            sum += extra
            while events[head].time < nowMillis - CacheTTL.fiveMinutes.millis {
                sum -= events[head].extra
                head += 1
            }
            worstScaled = max(worstScaled, sum)
        }

        var worst: Money { Money(nanoUSD: Int64(worstScaled / 1_000_000)) }
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
