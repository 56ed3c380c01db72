import NIOCore
import Logging
import HTTPTypes
import ClaudeAPI
public import RouterCore
import Synchronization

/// All the lanes of the service, one per rate-limit bucket, created on first use.
///
/// Models that share an API bucket (e.g. the Opus 4.x family) must share a lane: callers look lanes up by the
/// bucket name the policy gives a model, not by the model id.
/// A policy reload reaches the pacer through `apply(limits:fallbackLimits:admission:)`: every existing lane takes the
/// new numbers in place (nobody queued is lost), and lanes created later start from them.
public final class Pacer<C: Clock>: Sendable where C.Duration == Duration {
    struct State {
        var limits: [String: RateLimitConfig]
        var fallbackLimits: RateLimitConfig
        var admission: AdmissionConfig
        var lanes: [String: ModelLane<C>] = [:]
    }

    private let clock: C
    private let state: Mutex<State>

    /// Creates a pacer.
    /// - Parameters:
    ///   - limits: the tier's limits per bucket name.
    ///   - fallbackLimits: the limits of a bucket the policy does not name; by default it learns them from headers.
    ///   - admission: queue capacities and the longest wait, the same for every lane.
    ///   - clock: the clock every lane reads and sleeps on.
    public init(
        limits: [String: RateLimitConfig], fallbackLimits: RateLimitConfig = .learnFromHeaders,
        admission: AdmissionConfig = AdmissionConfig(), clock: C
    ) {
        self.clock = clock
        self.state = Mutex(State(limits: limits, fallbackLimits: fallbackLimits, admission: admission))
    }

    /// Creates a pacer from a policy's `limits.yaml`: its buckets, margin and queue bounds.
    public convenience init(policy limits: LimitsConfig, clock: C) {
        self.init(
            limits: limits.rateLimits, fallbackLimits: limits.unnamedBucketLimits, admission: limits.admission,
            clock: clock)
    }

    /// The lane of a bucket, created with its configured limits on first use.
    public func lane(for bucket: String) -> ModelLane<C> {
        state.withLock { state in
            if let lane = state.lanes[bucket] { return lane }
            let lane = ModelLane(
                bucket: bucket, limits: state.limits[bucket] ?? state.fallbackLimits, admission: state.admission,
                clock: clock)
            state.lanes[bucket] = lane
            return lane
        }
    }

    /// Takes new limits (a policy reload): every existing lane is reconfigured in place, later lanes start from
    /// them. A lane whose bucket the new limits no longer name takes `fallbackLimits`, which keep what the
    /// lane learnt from headers.
    public func apply(
        limits: [String: RateLimitConfig], fallbackLimits: RateLimitConfig, admission: AdmissionConfig
    ) {
        let lanes = state.withLock { state in
            state.limits = limits
            state.fallbackLimits = fallbackLimits
            state.admission = admission
            return state.lanes
        }
        // Outside the pacer's lock: each lane takes its own lock and may resume waiters.
        for (bucket, lane) in lanes {
            lane.reconfigure(limits: limits[bucket] ?? fallbackLimits, admission: admission)
        }
    }

    /// Takes a reloaded policy's `limits.yaml`.
    public func apply(policy limits: LimitsConfig) {
        apply(limits: limits.rateLimits, fallbackLimits: limits.unnamedBucketLimits, admission: limits.admission)
    }

    /// Every lane's state, sorted by bucket name, for `/metrics`.
    public func snapshots() -> [LaneSnapshot] {
        let all = state.withLock { Array($0.lanes.values) }
        return all.map { $0.snapshot() }.sorted { $0.bucket < $1.bucket }
    }
}

extension Pacer where C == ContinuousClock {
    /// Creates a pacer on the system's monotonic clock.
    public convenience init(
        limits: [String: RateLimitConfig], fallbackLimits: RateLimitConfig = .learnFromHeaders,
        admission: AdmissionConfig = AdmissionConfig()
    ) {
        self.init(limits: limits, fallbackLimits: fallbackLimits, admission: admission, clock: ContinuousClock())
    }

    /// Creates a pacer on the system's monotonic clock from a policy's `limits.yaml`.
    public convenience init(policy limits: LimitsConfig) {
        self.init(policy: limits, clock: ContinuousClock())
    }
}
