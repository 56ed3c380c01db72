/// What to do after a failed upstream attempt.
public enum RetryDecision: Sendable, Hashable {
    /// Send the same request again after this many milliseconds.
    case retry(afterMillis: Int64)
    /// Send the request to this model instead, now (its own bucket paces it).
    case fallback(to: String)
    /// Return the failure to the client.
    case giveUp
}
