import NIOCore
import Hummingbird
import Logging
import HTTPTypes
import ClaudeAPI
public import RouterCore
import Synchronization

/// All the lanes of the service, one per rate-limit bucket, created on first use.
///
/// Models that share an API bucket (e.g. the Opus 4.x family) must share a lane: callers look lanes up by the
/// bucket name the policy gives a model, not by the model id.
public final class Pacer<C: Clock>: Sendable where C.Duration == Duration {
    private let clock: C
    private let limits: [String: RateLimitConfig]
    private let fallbackLimits: RateLimitConfig
    private let admission: AdmissionConfig
    private let lanes: Mutex<[String: ModelLane<C>]>

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
        self.limits = limits
        self.fallbackLimits = fallbackLimits
        self.admission = admission
        self.lanes = Mutex([:])
    }

    /// The lane of a bucket, created with its configured limits on first use.
    public func lane(for bucket: String) -> ModelLane<C> {
        lanes.withLock { lanes in
            if let lane = lanes[bucket] { return lane }
            let lane = ModelLane(
                bucket: bucket, limits: limits[bucket] ?? fallbackLimits, admission: admission, clock: clock)
            lanes[bucket] = lane
            return lane
        }
    }

    /// Every lane's state, sorted by bucket name, for `/metrics`.
    public func snapshots() -> [LaneSnapshot] {
        let all = lanes.withLock { Array($0.values) }
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
}
