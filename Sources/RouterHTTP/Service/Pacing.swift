import HTTPTypes
import ClaudeAPI
public import RouterCore

/// What the dispatcher needs of the rate-limit pacer: headroom before a call, the truth after it.
public protocol Pacing: Sendable {
    /// Waits for headroom in `bucket`, or throws `AdmissionRefusal` at once (queue full, deadline out of reach).
    func acquire(
        bucket: String, priority: AdmissionQueue.Priority, deadlineMillis: Int64?, input: Int64, maxOutput: Int64
    ) async throws -> Reservation

    /// Returns what the call did not use (`usage` known) or everything (`usage` nil: the call failed).
    func settle(bucket: String, reservation: Reservation, usage: TokenUsage?, requestSent: Bool)

    /// Corrects the bucket from a response's `anthropic-ratelimit-*` headers.
    func observe(bucket: String, status: Int, header: (String) -> String?)

    /// Every lane's headroom and queue depth, for `/metrics`.
    func laneSnapshots() -> [LaneSnapshot]
}

extension Pacing {
    public func laneSnapshots() -> [LaneSnapshot] { [] }
}

/// A pacer that follows policy reloads.
public protocol ReconfigurablePacing: Pacing {
    /// Takes a reloaded policy's limits, margin and queue bounds without dropping queued or in-flight requests.
    func apply(policy limits: LimitsConfig)
}

/// A pacer that never waits: for tests of the other stages, and for `limits` sections that set no bucket. A reload
/// has nothing to change in it.
public struct UnpacedPacing: ReconfigurablePacing {
    public init() {}
    public func acquire(
        bucket: String, priority: AdmissionQueue.Priority, deadlineMillis: Int64?, input: Int64, maxOutput: Int64
    ) async throws -> Reservation {
        Reservation(inputTokens: input, outputTokens: maxOutput, grantedAt: 0)
    }
    public func settle(bucket: String, reservation: Reservation, usage: TokenUsage?, requestSent: Bool) {}
    public func observe(bucket: String, status: Int, header: (String) -> String?) {}
    public func apply(policy limits: LimitsConfig) {}
}
