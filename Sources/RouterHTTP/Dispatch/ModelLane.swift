import NIOCore
import Logging
import HTTPTypes
import ClaudeAPI
public import RouterCore
import Synchronization

/// The async face of one rate-limit bucket: requests `acquire` headroom here before they are sent upstream.
///
/// It wraps the pure `AdmissionQueue` in a `Mutex`: every call decides under the lock and resumes waiters outside
/// it. Waiters suspend on continuations and are resumed when headroom returns, either because time refilled the
/// bucket (one timer task sleeps on the injected clock until the next instant that matters) or because a finished
/// call gave tokens back. A cancelled waiter leaves the queue at once. Times are kept in milliseconds since the
/// lane was created, so a test clock drives everything.
public final class ModelLane<C: Clock>: Sendable where C.Duration == Duration {
    /// Where a waiter's answer is while its task and the queue race.
    enum Slot {
        /// Queued; its continuation is not registered yet.
        case pending
        /// Suspended on this continuation.
        case waiting(CheckedContinuation<Reservation, any Error>)
        /// Answered before the continuation was registered.
        case resolved(Result<Reservation, any Error>)
    }

    struct State {
        var queue: AdmissionQueue
        var slots: [AdmissionQueue.WaiterID: Slot] = [:]
        var timerAt: Int64?
        var timer: Task<Void, Never>?
    }

    struct Resumption {
        var continuation: CheckedContinuation<Reservation, any Error>
        var result: Result<Reservation, any Error>
    }

    /// The rate-limit bucket this lane paces.
    public let bucket: String
    private let clock: C
    private let origin: C.Instant
    private let state: Mutex<State>

    /// Creates a lane with a full bucket.
    /// - Parameters:
    ///   - bucket: the bucket's name (as in the policy), used in refusals and metrics.
    ///   - limits: the tier's limits; headers correct them later.
    ///   - admission: queue capacities and the longest wait.
    ///   - clock: the clock the lane reads and sleeps on (`ContinuousClock()` in the service, a manual clock in tests).
    public init(bucket: String, limits: RateLimitConfig, admission: AdmissionConfig = AdmissionConfig(), clock: C) {
        self.bucket = bucket
        self.clock = clock
        self.origin = clock.now
        let limiter = RateLimiter(config: limits, now: 0)
        self.state = Mutex(State(queue: AdmissionQueue(bucket: bucket, limiter: limiter, config: admission)))
    }

    deinit {
        state.withLock { $0.timer?.cancel() }
    }

    /// Waits for headroom for one request and reserves it.
    /// - Parameters:
    ///   - priority: interactive requests are served before background ones.
    ///   - deadline: the latest instant the request may still be sent; the admission's `maxWaitMillis` caps it.
    ///   - input: the estimated input tokens that count toward ITPM (uncached input and cache writes).
    ///   - maxOutput: the request's `max_tokens`.
    /// - Returns: the reservation; hand it back through `complete(_:usage:)` or `release(_:requestSent:)`.
    /// - Throws: `AdmissionRefusal` when the queue is full or the deadline cannot be met (at once, or when the
    ///   deadline comes), `CancellationError` when the calling task is cancelled while waiting.
    public func acquire(
        priority: AdmissionQueue.Priority, deadline: C.Instant? = nil, input: Int64, maxOutput: Int64
    ) async throws -> Reservation {
        let now = nowMillis()
        let deadlineMillis = deadline.map(millis(at:))
        let (admission, resumptions) = state.withLock { state in
            let (admission, actions) = state.queue.enqueue(
                priority: priority, deadline: deadlineMillis, input: input, maxOutput: maxOutput, now: now)
            if case .queued(let id) = admission { state.slots[id] = .pending }
            return (admission, apply(actions, to: &state))
        }
        resume(resumptions)
        switch admission {
        case .granted(let reservation):
            return reservation
        case .refused(let refusal):
            throw refusal
        case .queued(let id):
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let early: Result<Reservation, any Error>? = state.withLock { state in
                        switch state.slots[id] {
                        case .pending:
                            state.slots[id] = .waiting(continuation)
                            return nil
                        case .resolved(let result):
                            state.slots[id] = nil
                            return result
                        case .waiting, nil:
                            return .failure(CancellationError())
                        }
                    }
                    if let early { continuation.resume(with: early) }
                }
            } onCancel: {
                cancel(id)
            }
        }
    }

    /// Settles a reservation with the usage the response reported, freeing what it did not use.
    public func complete(_ reservation: Reservation, usage: TokenUsage) {
        mutate { $0.reconcile(reservation, usage: usage, now: $1) }
    }

    /// Gives back the reservation of a call that produced no usage.
    /// - Parameter requestSent: whether the request reached the API (its RPM slot then stays spent).
    public func release(_ reservation: Reservation, requestSent: Bool) {
        mutate { $0.release(reservation, requestSent: requestSent, now: $1) }
    }

    /// Takes new limits and queue bounds (a policy reload): queued waiters keep their place, reservations in flight
    /// settle against the same bucket, and whatever the new limits allow now is granted at once.
    public func reconfigure(limits: RateLimitConfig, admission: AdmissionConfig) {
        mutate { $0.reconfigure(limits: limits, admission: admission, now: $1) }
    }

    /// Corrects the bucket from a response's rate-limit headers.
    public func observe(_ observation: RateLimitObservation) {
        mutate { $0.observe(observation, now: $1) }
    }

    /// The limits and queue bounds the lane paces by now.
    public var configuration: (limits: RateLimitConfig, admission: AdmissionConfig) {
        state.withLock { ($0.queue.limiter.config, $0.queue.config) }
    }

    /// The bucket's headroom and queue depths now.
    public func snapshot() -> LaneSnapshot {
        let now = nowMillis()
        return state.withLock { state in
            LaneSnapshot(
                bucket: bucket, headroom: state.queue.limiter.headroom(now: now),
                interactiveDepth: state.queue.depth(.interactive), backgroundDepth: state.queue.depth(.background))
        }
    }

    // MARK: - Internals

    /// Milliseconds since the lane was created.
    func nowMillis() -> Int64 { millis(at: clock.now) }

    private func millis(at instant: C.Instant) -> Int64 {
        let (seconds, attoseconds) = origin.duration(to: instant).components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    private func mutate(_ body: (inout AdmissionQueue, Int64) -> AdmissionQueue.Actions) {
        let now = nowMillis()
        let resumptions = state.withLock { state in
            apply(body(&state.queue, now), to: &state)
        }
        resume(resumptions)
    }

    private func cancel(_ id: AdmissionQueue.WaiterID) {
        let now = nowMillis()
        let resumptions: [Resumption] = state.withLock { state in
            guard state.queue.cancel(id) else { return [] }
            var resumptions: [Resumption] = []
            switch state.slots.removeValue(forKey: id) {
            case .waiting(let continuation):
                resumptions.append(Resumption(continuation: continuation, result: .failure(CancellationError())))
            case .pending:
                state.slots[id] = .resolved(.failure(CancellationError()))
            case .resolved, nil:
                break
            }
            // The cancelled waiter may have been the head that held the others back.
            return resumptions + apply(state.queue.poll(now: now), to: &state)
        }
        resume(resumptions)
    }

    private func timerFired(at wakeAt: Int64) {
        let now = nowMillis()
        let resumptions = state.withLock { state in
            if state.timerAt == wakeAt {
                state.timerAt = nil
                state.timer = nil
            }
            return apply(state.queue.poll(now: now), to: &state)
        }
        resume(resumptions)
    }

    /// Routes the queue's answers to their waiters and re-arms the timer. Runs under the lock; resumes nothing.
    private func apply(_ actions: AdmissionQueue.Actions, to state: inout State) -> [Resumption] {
        var resumptions: [Resumption] = []
        func deliver(_ id: AdmissionQueue.WaiterID, _ result: Result<Reservation, any Error>) {
            switch state.slots.removeValue(forKey: id) {
            case .waiting(let continuation):
                resumptions.append(Resumption(continuation: continuation, result: result))
            case .pending:
                state.slots[id] = .resolved(result)
            case .resolved, nil:
                break
            }
        }
        for grant in actions.grants { deliver(grant.id, .success(grant.reservation)) }
        for expiry in actions.expiries { deliver(expiry.id, .failure(expiry.refusal)) }
        arm(at: actions.wakeAt, state: &state)
        return resumptions
    }

    private func arm(at wakeAt: Int64?, state: inout State) {
        guard state.timerAt != wakeAt || state.timer == nil else { return }
        state.timer?.cancel()
        state.timer = nil
        state.timerAt = wakeAt
        guard let wakeAt else { return }
        let instant = origin.advanced(by: .milliseconds(wakeAt))
        state.timer = Task { [weak self, clock] in
            do {
                try await clock.sleep(until: instant, tolerance: nil)
            } catch {
                return  // re-armed or the lane is gone
            }
            self?.timerFired(at: wakeAt)
        }
    }

    private func resume(_ resumptions: [Resumption]) {
        for resumption in resumptions { resumption.continuation.resume(with: resumption.result) }
    }
}
