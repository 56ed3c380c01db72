/// The answer of `RateLimiter.reserve(now:input:maxOutput:)`.
public enum ReserveResult: Sendable, Hashable {
    /// There was headroom; the reservation is already taken from the bucket.
    case granted(Reservation)
    /// Not enough headroom; nothing was taken. Ask again at `until` (milliseconds, the limiter's timeline).
    case wait(until: Int64)
}
