/// Which failed upstream attempts are tried again, when, and when another model takes over.
///
/// A pure value: the caller passes the time, the deadline and the random source. The rules, compared with the
/// official SDKs (reference §6):
/// - Never retried: 400, 401, 403, 404, 413 (the same body gets the same answer), a spend-cap 429, any failure after
///   the client has received bytes of the response, and a timeout after the first response byte.
/// - `x-should-retry: false` is obeyed; `x-should-retry: true` makes other statuses (e.g. 422) retryable.
/// - Retried: 408, 409, 429, every status ≥ 500 (500, 529, 504 …), a failed connect, a reset, a timeout before the
///   first byte.
/// - The wait is full jitter, uniform in [0, min(maxBackoff, baseBackoff·2^retriesTaken)], and at least the API's
///   `retry-after-ms`/`retry-after`. A `retry-after` longer than `maxRetryAfterMillis`, a wait past the deadline or
///   the attempt limit ends the retries.
/// - Fallback, when the caller names a model: at once on 529 (that model is overloaded), and instead of giving up
///   when an API error (429, 5xx) exhausts the retries or the deadline. Connection failures do not fall back: another
///   model sits behind the same host.
///
/// It is also the policy's `limits.yaml` `retries` section (`LimitsConfig.retries`): `max_attempts`, `base_backoff_ms`,
/// `max_backoff_ms`, `max_retry_after_ms`, read by the policy loader into these fields one to one.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included (at least 1).
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry, in milliseconds; it doubles per retry.
    public var baseBackoffMillis: Int64
    /// The largest backoff ceiling, in milliseconds.
    public var maxBackoffMillis: Int64
    /// The longest `retry-after` honoured, in milliseconds; a longer one ends the retries.
    public var maxRetryAfterMillis: Int64

    /// Creates a policy (defaults as the SDKs: 3 attempts, 500 ms doubling to 8 s, `retry-after` up to 60 s).
    public init(
        maxAttempts: Int = 3, baseBackoffMillis: Int64 = 500, maxBackoffMillis: Int64 = 8_000,
        maxRetryAfterMillis: Int64 = 60_000
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoffMillis = max(0, baseBackoffMillis)
        self.maxBackoffMillis = max(0, maxBackoffMillis)
        self.maxRetryAfterMillis = max(0, maxRetryAfterMillis)
    }

    /// Statuses that are never retried, whatever the headers say.
    public static let neverRetried: Set<Int> = [400, 401, 403, 404, 413]

    /// Decides what follows a failed attempt.
    /// - Parameters:
    ///   - outcome: how the attempt failed.
    ///   - attempt: the 1-based number of the attempt that failed, counted per model (restart at 1 after a
    ///     fallback).
    ///   - clientHasBytes: whether any byte of the response was already sent to the client (a started stream).
    ///   - now: the current time in milliseconds; `deadline` is on the same timeline (nil: none).
    ///   - fallback: the model the policy allows instead of this one, or nil.
    ///   - random: the jitter's source (inject a seeded one in tests).
    public func decide(
        _ outcome: AttemptOutcome, attempt: Int, clientHasBytes: Bool = false, now: Int64, deadline: Int64?,
        fallback: String?, using random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        guard !clientHasBytes else { return .giveUp }
        let hints: RetryHints
        let mayFallBack: Bool
        switch outcome {
        case .connection(let failure):
            guard failure != .timedOutAfterFirstByte else { return .giveUp }
            hints = RetryHints()
            mayFallBack = false
        case .response(let status, let responseHints):
            guard Self.isRetryable(status: status, hints: responseHints) else { return .giveUp }
            if status == 529, let fallback { return .fallback(to: fallback) }
            hints = responseHints
            mayFallBack = true
        }
        let stop: RetryDecision = mayFallBack ? (fallback.map { .fallback(to: $0) } ?? .giveUp) : .giveUp
        guard attempt < maxAttempts else { return stop }
        var wait = jitter(retriesTaken: max(0, attempt - 1), using: &random)
        if let retryAfter = hints.retryAfterMillis {
            guard retryAfter <= maxRetryAfterMillis else { return stop }
            wait = max(wait, retryAfter)
        }
        if let deadline, now + wait > deadline { return stop }
        return .retry(afterMillis: wait)
    }

    /// Whether an error status may be retried at all (before counting attempts and time).
    public static func isRetryable(status: Int, hints: RetryHints) -> Bool {
        if neverRetried.contains(status) || hints.spendLimitReached || status < 400 { return false }
        if let verdict = hints.shouldRetry { return verdict }
        return status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// A full-jitter backoff: uniform in [0, min(maxBackoff, baseBackoff·2^retriesTaken)] milliseconds.
    public func jitter(retriesTaken: Int, using random: inout some RandomNumberGenerator) -> Int64 {
        var ceiling = baseBackoffMillis
        // Doubling stops at the cap, so a large retry count cannot overflow.
        for _ in 0..<min(retriesTaken, 62) where ceiling < maxBackoffMillis {
            ceiling *= 2
        }
        ceiling = min(ceiling, maxBackoffMillis)
        guard ceiling > 0 else { return 0 }
        // One draw scaled by a full-width multiply (bias below 2⁻⁵⁰): no rejection loop, so any source,
        // even a constant one in a test, gives an answer, and 0 and UInt64.max map to the two ends.
        return Int64(random.next().multipliedFullWidth(by: UInt64(ceiling) + 1).high)
    }
}
