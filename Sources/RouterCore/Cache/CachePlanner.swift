public import ClaudeAPI
import Synchronization

/// Plans prompt caching for the router: decides where `cache_control` breakpoints go, applies them, and learns
/// from every request what gets reused.
///
/// The statistics table is shared, observed state behind a `Mutex`; `plan` copies what it needs out of it
/// under the lock and decides outside it with the pure `CacheDecision.plan`. One planner lives for the whole
/// process (policy reloads keep it and its memory); the policy in force comes with each call, and a changed
/// `tableCapacity` or `halfLifeSeconds` applies from the next `plan`.
public final class CachePlanner: Sendable {
    /// A request sent upstream whose reported usage has not come back yet.
    struct Pending: Sendable {
        var features: CacheRequestFeatures
        var marked: BreakpointMarks
    }

    /// Sent requests by id, awaiting `observeOutcome(requestID:…)`, oldest first; at most `maxPending`, so a
    /// response that never comes (a crash upstream, a dropped stream) costs nothing for long.
    struct PendingRequests: Sendable {
        var byID: [String: Pending] = [:]
        var order: [String] = []
        var head = 0
    }

    /// The most requests kept waiting for their outcome.
    public static let maxPending = 4_096

    private let table: Mutex<PrefixStatsTable>
    private let pending = Mutex(PendingRequests())

    /// Creates a planner whose table is sized by `policy.tableCapacity` and decays by `policy.halfLifeSeconds`.
    public init(policy: CachePolicy = CachePolicy()) {
        table = Mutex(
            PrefixStatsTable(capacity: policy.tableCapacity, halfLifeMillis: Int64(policy.halfLifeSeconds) * 1000))
    }

    /// Decides the breakpoints for one request.
    ///
    /// - Parameters:
    ///   - features: the request's boundaries (`CacheRequestFeatures(request:…)`).
    ///   - profile: the target model's minimum cacheable length and prices.
    ///   - policy: the cache policy of the request's policy snapshot.
    ///   - nowMillis: the request's arrival, from the router's clock.
    public func plan(
        _ features: CacheRequestFeatures, profile: CacheModelProfile, policy: CachePolicy, nowMillis: Int64
    ) -> CachePlan {
        if policy.mode(client: features.client, taskType: features.taskType) == .off {
            return CacheDecision.plan(
                features: features, assessments: [], profile: profile, policy: policy, nowMillis: nowMillis)
        }
        let (assessments, feedback) = table.withLock {
            // A reloaded policy may resize the table or change its half-life: apply it on the next request.
            $0.reconfigure(capacity: policy.tableCapacity, halfLifeMillis: Int64(policy.halfLifeSeconds) * 1000)
            return (
                $0.assessments(for: features, nowMillis: nowMillis),
                $0.modelFeedback(features.model, nowMillis: nowMillis)
            )
        }
        return CacheDecision.plan(
            features: features, assessments: assessments, profile: Self.corrected(profile, by: feedback),
            policy: policy, nowMillis: nowMillis)
    }

    /// The profile with its minimum on the router's estimate scale: raised to the shortest prefix the API was
    /// seen not to cache (at most 4 × the documented minimum), divided by how much the estimate under-counts.
    static func corrected(_ profile: CacheModelProfile, by feedback: PrefixStatsTable.ModelFeedback)
        -> CacheModelProfile
    {
        var corrected = profile
        let real = max(profile.minCacheableTokens, min(feedback.uncachedBelow, 4 * profile.minCacheableTokens))
        corrected.minCacheableTokens = Int((Double(real) / feedback.tokenScale).rounded(.up))
        return corrected
    }

    /// Feeds the table: this request's prefixes went upstream at `nowMillis` with the client's markers and the
    /// plan's breakpoints. Call it once per request that was sent, planned or not, so reuse is learned even
    /// while planning is off.
    public func observe(_ features: CacheRequestFeatures, plan: CachePlan?, nowMillis: Int64) {
        let marked = Self.marked(features, plan: plan)
        table.withLock { $0.observe(features, marks: marked, nowMillis: nowMillis) }
    }

    /// `observe(_:plan:nowMillis:)`, and remembers the request under `requestID` so that its reported usage can
    /// correct the table later with `observeOutcome(requestID:usage:nowMillis:)`.
    public func observe(_ features: CacheRequestFeatures, plan: CachePlan?, nowMillis: Int64, requestID: String) {
        let marked = Self.marked(features, plan: plan)
        table.withLock { $0.observe(features, marks: marked, nowMillis: nowMillis) }
        let entry = Pending(features: features, marked: marked)
        pending.withLock { state in
            if state.byID.updateValue(entry, forKey: requestID) == nil { state.order.append(requestID) }
            while state.byID.count > Self.maxPending, state.head < state.order.count {
                state.byID[state.order[state.head]] = nil
                state.head += 1
            }
            // Compact the id list now and then (ids fed back stay in it), so it stays proportional to what is
            // pending: amortised O(1) per request.
            if state.order.count - state.head > 2 * Self.maxPending {
                state.order = state.order[state.head...].filter { state.byID[$0] != nil }
                state.head = 0
            }
        }
    }

    /// Feeds back what the API reported for a request sent with `observe(…, requestID:)`: its cache read and
    /// writes say which prefixes the API really holds (see `PrefixStatsTable.observeOutcome`). Unknown ids (never
    /// observed, already fed back, or evicted) are ignored. Pass only usage the API reported, not an estimate.
    public func observeOutcome(requestID: String, usage: TokenUsage, nowMillis: Int64) {
        guard let sent = pending.withLock({ $0.byID.removeValue(forKey: requestID) }) else { return }
        table.withLock {
            $0.observeOutcome(sent.features, marks: sent.marked, usage: usage, nowMillis: nowMillis)
        }
    }

    /// Feeds back one request's reported usage directly (the replay benchmark, which holds its features).
    public func observeOutcome(
        _ features: CacheRequestFeatures, plan: CachePlan?, usage: TokenUsage, nowMillis: Int64
    ) {
        let marked = Self.marked(features, plan: plan)
        table.withLock { $0.observeOutcome(features, marks: marked, usage: usage, nowMillis: nowMillis) }
    }

    /// Requests sent and still awaiting their outcome.
    public var pendingCount: Int { pending.withLock { $0.byID.count } }

    /// The breakpoints a request went upstream with: the client's, the automatic one, and the plan's.
    static func marked(_ features: CacheRequestFeatures, plan: CachePlan?) -> BreakpointMarks {
        var marked = BreakpointMarks()
        for marker in features.clientMarkers { marked[marker.blockPosition] = marker.ttl }
        if let automatic = features.automaticBreakpoint { marked[automatic.blockPosition] = automatic.ttl }
        for breakpoint in plan?.breakpoints ?? [] { marked[breakpoint.blockPosition] = breakpoint.ttl }
        return marked
    }

    /// How many prefix hashes the table holds.
    public var tableCount: Int { table.withLock { $0.count } }

    /// A copy of the table, for diagnostics and tests.
    public var tableSnapshot: PrefixStatsTable { table.withLock { $0 } }

    /// The request with the plan's breakpoints added (see `CachePlan.apply(to:)`): what goes upstream.
    public func apply(_ plan: CachePlan, to request: MessagesRequest) -> MessagesRequest {
        plan.apply(to: request)
    }
}
