public import ClaudeAPI
import Synchronization

/// Plans prompt caching for the router: decides where `cache_control` breakpoints go, applies them, and learns
/// from every request what gets reused.
///
/// The statistics table is shared, observed state behind a `Mutex`; `plan` copies what it needs out of it
/// under the lock and decides outside it with the pure `CacheDecision.plan`. One planner lives for the whole
/// process (policy reloads keep it); the policy in force comes with each call.
public final class CachePlanner: Sendable {
    private let table: Mutex<PrefixStatsTable>

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
        let observations = table.withLock { $0.observations(for: features, nowMillis: nowMillis) }
        let assessments = observations.map {
            BoundaryAssessment(prefix: $0.prefix, kind: $0.kind, nowMillis: nowMillis)
        }
        return CacheDecision.plan(
            features: features, assessments: assessments, profile: profile, policy: policy, nowMillis: nowMillis)
    }

    /// Feeds the table: this request's prefixes went upstream at `nowMillis` with the client's markers and the
    /// plan's breakpoints. Call it once per request that was sent, planned or not, so reuse is learned even
    /// while planning is off.
    public func observe(_ features: CacheRequestFeatures, plan: CachePlan?, nowMillis: Int64) {
        var marked: [Int: CacheTTL] = [:]
        for marker in features.fixedBreakpoints { marked[marker.blockPosition] = marker.ttl }
        for breakpoint in plan?.breakpoints ?? [] { marked[breakpoint.blockPosition] = breakpoint.ttl }
        table.withLock { $0.observe(features, marked: marked, nowMillis: nowMillis) }
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
