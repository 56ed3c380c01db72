/// What one granted request holds in its bucket until the real usage is known.
///
/// Hand it back exactly once: to `RateLimiter.reconcile(_:usage:now:)` when the response's usage is known, or to
/// `RateLimiter.release(_:requestSent:now:)` when the call failed.
public struct Reservation: Sendable, Hashable {
    /// Input tokens reserved (the estimate, clamped to the ITPM capacity).
    public var inputTokens: Int64
    /// Output tokens reserved (`max_tokens`, clamped to the OTPM capacity).
    public var outputTokens: Int64
    /// When the grant was made, in milliseconds on the limiter's timeline.
    public var grantedAt: Int64

    /// Creates a reservation record.
    public init(inputTokens: Int64, outputTokens: Int64, grantedAt: Int64) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.grantedAt = grantedAt
    }
}
