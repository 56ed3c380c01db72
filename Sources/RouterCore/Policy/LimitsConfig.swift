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
    public var retries: RetryPolicy
    /// The safety margin the pacer keeps under every bucket's limits, in percent (`headroom_percent`, 0...90).
    public var headroomPercent: Int64
    /// Whether the API's reported limits may raise the configured ones (`upstream_may_raise`; default false: the
    /// buckets are a ceiling the headers can only lower).
    public var upstreamMayRaise: Bool = false

    /// Creates a limits configuration.
    public init(
        buckets: [String: Bucket], maxQueuedRequests: Int = 1000, maxQueueWaitMillis: Int64 = 30_000,
        retries: RetryPolicy = RetryPolicy(), headroomPercent: Int64 = 0
    ) {
        self.buckets = buckets
        self.maxQueuedRequests = maxQueuedRequests
        self.maxQueueWaitMillis = maxQueueWaitMillis
        self.retries = retries
        self.headroomPercent = headroomPercent
    }

    /// What the pacer paces each bucket by: its limits and the margin.
    public var rateLimits: [String: RateLimitConfig] {
        buckets.mapValues {
            var config = RateLimitConfig(
                requestsPerMinute: $0.requestsPerMinute, inputTokensPerMinute: $0.inputTokensPerMinute,
                outputTokensPerMinute: $0.outputTokensPerMinute, headroomPercent: headroomPercent)
            config.upstreamMayRaise = upstreamMayRaise
            return config
        }
    }

    /// The limits of a bucket the policy does not name: learnt from the API's headers, with the margin.
    public var unnamedBucketLimits: RateLimitConfig {
        var config = RateLimitConfig.learnFromHeaders
        config.headroomPercent = min(90, max(0, headroomPercent))
        return config
    }

    /// The queue bounds of every bucket: `max_queued_requests` interactive requests and four times as many
    /// background ones may wait, each for at most `max_wait_ms`.
    public var admission: AdmissionConfig {
        AdmissionConfig(
            interactiveCapacity: maxQueuedRequests, backgroundCapacity: maxQueuedRequests * 4,
            maxWaitMillis: maxQueueWaitMillis)
    }
}
