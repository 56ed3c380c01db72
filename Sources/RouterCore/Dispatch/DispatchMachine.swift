/// The retry, fallback, deadline and cancellation rules of one dispatched call, as a pure state machine.
///
/// The machine does no I/O and reads no clock: its driver (the service's `Dispatcher`) feeds it events, each with
/// the current time (milliseconds on the deadline's timeline) and, after an attempt, one random number for the
/// jitter, and carries out the action it returns:
///
/// - `start` → `send` the first model, attempt 1.
/// - `attemptFinished`:
///   - a 2xx → `finish` (hand the reply back);
///   - an error response or a connection failure → what `RetryPolicy.decide` says: `wait(until:)` before the
///     same model again, `send` the next model at once (fallback: on 529, or when an API error exhausts the
///     attempts or the deadline), or stop: `finish` with the API's last error response, or
///     `giveUp(.unreachable)` when the last attempt got no response at all;
///   - a failure no retry mends (TLS, a cancelled transfer, a body too large) → `giveUp(.failed)`.
/// - `waitFinished` → `send` the same model again, its next attempt.
/// - `cancelled` → `giveUp(.cancelled)`, in any state.
///
/// Bounded: each model gets at most `RetryPolicy.maxAttempts` attempts and the models are tried in order, never
/// twice, so a call makes at most `maxAttempts × models.count` attempts. A wait never ends past the deadline: the
/// policy falls back or stops instead. `retry-after` comes in through `RetryHints`, already checked (negative or
/// unreadable values dropped, absurd ones capped at a day); one longer than `maxRetryAfterMillis` ends the retries.
/// An event that does not fit the state (a driver bug) ends the call with `giveUp(.failed)` rather than trapping.
public struct DispatchMachine: Sendable {
    /// How one attempt ended, as the driver saw it.
    public enum AttemptEnd: Sendable, Hashable {
        /// The API answered with `status` (any status, 2xx included); `hints` are its retry headers.
        case response(status: Int, hints: RetryHints)
        /// No (complete) response, in a way a retry may mend.
        case connection(AttemptOutcome.ConnectionFailure)
        /// A failure no retry mends (TLS, a cancelled transfer, an oversized body, an unknown error).
        case failed
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        /// The call begins.
        case start(now: Int64)
        /// The attempt last sent ended; `random` is a fresh uniformly random number for the backoff's jitter.
        case attemptFinished(AttemptEnd, now: Int64, random: UInt64)
        /// The wait the machine asked for is over.
        case waitFinished(now: Int64)
        /// The caller's task was cancelled (while waiting, or the driver noticed between steps).
        case cancelled
    }

    /// Why the call ended without a reply to hand back.
    public enum Failure: Sendable, Hashable {
        /// The last attempt got no response (connect failed, reset, timed out) and the retries are over; `attempts`
        /// counts every attempt of the call.
        case unreachable(attempts: Int)
        /// The last attempt failed in a way no retry mends.
        case failed
        /// The call was cancelled.
        case cancelled
    }

    /// What the driver does next.
    public enum Action: Sendable, Hashable {
        /// Send the call to `model` (after waiting for rate-limit headroom); `attempt` is 1-based over the whole
        /// call (fallbacks included).
        case send(model: ModelSpec, attempt: Int)
        /// Sleep until `until` (on the events' timeline), then feed `waitFinished`.
        case wait(until: Int64)
        /// Hand the last attempt's reply back: a success, or the API's error that is not retried any more.
        case finish(model: ModelSpec)
        /// End the call without a reply.
        case giveUp(Failure)
    }

    enum State: Sendable, Hashable {
        case idle
        case sending
        case waiting(until: Int64)
        case done
    }

    /// The models to try, in order: the routed model first, then its fallbacks.
    public let models: [ModelSpec]
    /// The retry rules.
    public let policy: RetryPolicy
    /// When the call must be answered by (nil: no deadline), on the events' timeline.
    public let deadline: Int64?
    /// Attempts sent so far, over every model.
    public private(set) var attempts = 0
    private var modelIndex = 0
    /// Attempts of the current model (the policy counts per model: a fallback starts again at 1).
    private var attemptOfModel = 0
    private var state = State.idle

    /// Creates the machine of one call.
    /// - Parameters:
    ///   - models: the routed model then its fallbacks; an empty list gives up at `start`.
    ///   - policy: the retry rules (the policy's `limits.retries`).
    ///   - deadline: when the call must be answered by, or nil.
    public init(models: [ModelSpec], policy: RetryPolicy, deadline: Int64?) {
        self.models = models
        self.policy = policy
        self.deadline = deadline
    }

    /// The model of the attempt in flight (or the last one).
    public var currentModel: ModelSpec? { models.indices.contains(modelIndex) ? models[modelIndex] : nil }

    /// Takes an event and returns what to do next.
    public mutating func receive(_ event: Event) -> Action {
        switch (state, event) {
        case (.done, _):
            return .giveUp(.failed)
        case (_, .cancelled):
            state = .done
            return .giveUp(.cancelled)
        case (.idle, .start):
            guard !models.isEmpty else { return end(.giveUp(.failed)) }
            return send()
        case (.sending, .attemptFinished(let end, let now, let random)):
            return finished(end, now: now, random: random)
        case (.waiting, .waitFinished):
            return send()
        default:
            return end(.giveUp(.failed))
        }
    }

    private mutating func send() -> Action {
        attempts += 1
        attemptOfModel += 1
        state = .sending
        return .send(model: models[modelIndex], attempt: attempts)
    }

    private mutating func end(_ action: Action) -> Action {
        state = .done
        return action
    }

    private mutating func finished(_ end: AttemptEnd, now: Int64, random: UInt64) -> Action {
        let model = models[modelIndex]
        let outcome: AttemptOutcome
        switch end {
        case .response(let status, _) where (200..<300).contains(status):
            return self.end(.finish(model: model))
        case .response(let status, let hints):
            outcome = .response(status: status, hints: hints)
        case .connection(let failure):
            outcome = .connection(failure)
        case .failed:
            return self.end(.giveUp(.failed))
        }
        let fallback = modelIndex + 1 < models.count ? models[modelIndex + 1].id : nil
        var draw = OneDraw(value: random)
        let decision = policy.decide(
            outcome, attempt: attemptOfModel, now: now, deadline: deadline, fallback: fallback, using: &draw)
        switch decision {
        case .retry(let afterMillis):
            let (until, overflow) = now.addingReportingOverflow(afterMillis)
            let wakeAt = overflow ? Int64.max : until
            state = .waiting(until: wakeAt)
            return .wait(until: wakeAt)
        case .fallback:
            modelIndex += 1
            attemptOfModel = 0
            return send()
        case .giveUp:
            if case .connection = outcome { return self.end(.giveUp(.unreachable(attempts: attempts))) }
            return self.end(.finish(model: model))
        }
    }
}

/// A random number generator that answers one number the caller drew (the jitter takes a single draw).
struct OneDraw: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}
