public import RouterCore

/// Runs an upstream call under a `RetryPolicy`: sleeps between attempts on the injected clock, moves to the
/// fallback model when the policy says so, and gives up with the last attempt's error.
///
/// Each model is tried at most once per request (a fallback chain cannot loop), and attempts are numbered per
/// model, so every model gets the policy's `maxAttempts`.
public struct RetryRunner<C: Clock>: Sendable where C.Duration == Duration {
    /// One step the runner took, for metrics and ledger attempt rows.
    public struct Step: Sendable, Hashable {
        /// The model of the attempt that failed.
        public var model: String
        /// Its 1-based attempt number for that model.
        public var attempt: Int
        /// What the policy decided.
        public var decision: RetryDecision
    }

    /// The rules.
    public var policy: RetryPolicy
    /// The clock deadlines are on and backoffs sleep on.
    public let clock: C

    /// Creates a runner.
    public init(policy: RetryPolicy, clock: C) {
        self.policy = policy
        self.clock = clock
    }

    /// Calls `attempt` until it succeeds or the policy gives up.
    /// - Parameters:
    ///   - model: the first model to call.
    ///   - deadline: when the request must be answered by, or nil.
    ///   - fallback: the model the policy allows instead of a given one, or nil.
    ///   - random: the jitter's source.
    ///   - onStep: called after every failed attempt with the decision taken (count retries and fallbacks here).
    ///   - attempt: makes one call to `model`; `number` is 1-based per model.
    /// - Returns: the first success.
    /// - Throws: the last failure's error when the policy gives up, `CancellationError` when cancelled while
    ///   backing off.
    public func run<Success: Sendable>(
        model: String, deadline: C.Instant? = nil, fallback: (String) -> String?,
        random: inout some RandomNumberGenerator, onStep: (Step) -> Void = { _ in },
        attempt: (_ model: String, _ number: Int) async -> AttemptResult<Success>
    ) async throws -> Success {
        let origin = clock.now
        func millis(_ instant: C.Instant) -> Int64 {
            let (seconds, attoseconds) = origin.duration(to: instant).components
            return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        }
        var current = model
        var tried: Set<String> = [model]
        var number = 1
        var lastError: (any Error)?
        // Bounded: every pass returns, throws, or spends one attempt; a chain of more than 16 models is cut.
        for _ in 0..<(policy.maxAttempts * 16) {
            let (outcome, clientHasBytes, error): (AttemptOutcome, Bool, any Error)
            switch await attempt(current, number) {
            case .success(let value):
                return value
            case .failure(let failedOutcome, let failedAfterBytes, let failure):
                (outcome, clientHasBytes, error) = (failedOutcome, failedAfterBytes, failure)
            }
            lastError = error
            let next = fallback(current).flatMap { tried.contains($0) ? nil : $0 }
            let decision = policy.decide(
                outcome, attempt: number, clientHasBytes: clientHasBytes, now: millis(clock.now),
                deadline: deadline.map(millis), fallback: next, using: &random)
            onStep(Step(model: current, attempt: number, decision: decision))
            switch decision {
            case .giveUp:
                throw error
            case .fallback(let other):
                tried.insert(other)
                current = other
                number = 1
            case .retry(let wait):
                try await clock.sleep(until: clock.now.advanced(by: .milliseconds(wait)), tolerance: nil)
                number += 1
            }
        }
        throw lastError ?? CancellationError()
    }
}
