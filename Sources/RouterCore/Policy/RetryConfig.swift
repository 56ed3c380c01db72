/// How often and how patiently the dispatcher retries a retryable upstream failure.
public struct RetryConfig: Sendable, Hashable {
    /// Attempts in total, the first included.
    public var maxAttempts: Int
    /// The first backoff, in milliseconds; it doubles per retry.
    public var baseBackoffMillis: Int64
    /// The longest backoff, in milliseconds.
    public var maxBackoffMillis: Int64
    /// Honour the API's `retry-after` when it is at most this many milliseconds.
    public var maxRetryAfterMillis: Int64

    /// Creates a retry configuration (defaults close to the official SDKs: 3 attempts, 500 ms doubling to 8 s).
    public init(
        maxAttempts: Int = 3, baseBackoffMillis: Int64 = 500, maxBackoffMillis: Int64 = 8000,
        maxRetryAfterMillis: Int64 = 60_000
    ) {
        self.maxAttempts = maxAttempts
        self.baseBackoffMillis = baseBackoffMillis
        self.maxBackoffMillis = maxBackoffMillis
        self.maxRetryAfterMillis = maxRetryAfterMillis
    }
}
