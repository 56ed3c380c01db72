/// How one upstream attempt failed, as the retry policy needs to know it.
public enum AttemptOutcome: Sendable, Hashable {
    /// How a connection-level failure happened.
    public enum ConnectionFailure: String, Sendable, Hashable, CaseIterable {
        /// The TCP or TLS connection could not be made: nothing reached the API.
        case connectFailed
        /// The connection was reset or closed before a response arrived.
        case reset
        /// The attempt timed out before the first response byte.
        case timedOutBeforeFirstByte
        /// The attempt timed out after the response had started: the API may be generating (and billing) it.
        case timedOutAfterFirstByte
    }

    /// The API answered with an error status.
    case response(status: Int, hints: RetryHints)
    /// No (complete) response.
    case connection(ConnectionFailure)
}
