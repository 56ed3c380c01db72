/// Rate limits per bucket, queueing and retries: what the dispatcher paces and retries by.
public struct LimitsConfig: Sendable, Hashable {
    /// The limits of one rate-limit bucket (models that share a bucket share these).
    public struct Bucket: Sendable, Hashable {
        /// The bucket's name, referenced by models.
        public var name: String
        /// Requests per minute.
        public var requestsPerMinute: Int64
        /// Input tokens per minute (cache reads do not count).
        public var inputTokensPerMinute: Int64
        /// Output tokens per minute.
        public var outputTokensPerMinute: Int64

        /// Creates a bucket.
        public init(name: String, requestsPerMinute: Int64, inputTokensPerMinute: Int64, outputTokensPerMinute: Int64) {
            self.name = name
            self.requestsPerMinute = requestsPerMinute
            self.inputTokensPerMinute = inputTokensPerMinute
            self.outputTokensPerMinute = outputTokensPerMinute
        }
    }

    /// Buckets by name.
    public var buckets: [String: Bucket]
    /// How many requests may wait for headroom per bucket before new ones are refused (429).
    public var maxQueuedRequests: Int
    /// How long a request may wait for headroom, in milliseconds.
    public var maxQueueWaitMillis: Int64
    /// Retry behaviour for retryable upstream errors.
    public var retries: RetryConfig

    /// Creates a limits configuration.
    public init(
        buckets: [String: Bucket], maxQueuedRequests: Int = 1000, maxQueueWaitMillis: Int64 = 30_000,
        retries: RetryConfig = RetryConfig()
    ) {
        self.buckets = buckets
        self.maxQueuedRequests = maxQueuedRequests
        self.maxQueueWaitMillis = maxQueueWaitMillis
        self.retries = retries
    }
}
