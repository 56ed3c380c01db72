public import RouterCore

/// How one upstream attempt ended, as the caller of `RetryRunner.run` reports it.
public enum AttemptResult<Success: Sendable>: Sendable {
    /// The call succeeded (or failed in a way to return as is, e.g. a 400 passed through).
    case success(Success)
    /// The call failed.
    /// - Parameters:
    ///   - outcome: how, for the retry policy.
    ///   - clientHasBytes: whether response bytes already reached the client (a started stream).
    ///   - error: what to throw if the runner gives up.
    case failure(AttemptOutcome, clientHasBytes: Bool, error: any Error)
}
