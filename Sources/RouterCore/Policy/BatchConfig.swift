/// When and how deferred work goes to the Message Batches API.
///
/// Read from `batches.yaml`: `enabled`, `max_batch_size`, `max_wait_seconds`, `poll_interval_seconds`,
/// `max_poll_interval_seconds`, `min_deadline_seconds`, `defer_background`, `max_pending_per_client`,
/// `max_attempts`, `callback_timeout_seconds`, `callback_max_attempts`, `max_sync_runs`.
public struct BatchConfig: Sendable, Hashable {
    /// Whether deferral is on at all.
    public var enabled: Bool
    /// Send a batch once this many tasks wait (the API allows up to 100,000).
    public var maxBatchSize: Int
    /// Send a batch once the oldest waiting task has waited this long, in seconds.
    public var maxWaitSeconds: Int64
    /// How long after submission a batch is first polled, in seconds; later polls back off from here.
    public var pollIntervalSeconds: Int64
    /// The longest gap between two polls of one batch, in seconds (the backoff stops growing here).
    public var maxPollIntervalSeconds: Int64
    /// Only defer a task whose deadline is at least this far away, in seconds (batches may take up to 24 h).
    public var minDeadlineSeconds: Int64
    /// Defer background tasks of deferrable task types without being asked.
    public var deferBackground: Bool
    /// Deferred tasks one client may have unfinished (pending or submitted); beyond it deferral is refused.
    public var maxPendingPerClient: Int
    /// How many batches one task may go through (errored, expired or canceled results are retried) before it fails.
    public var maxAttempts: Int
    /// How long one callback POST may take, in seconds.
    public var callbackTimeoutSeconds: Int64
    /// How many times a callback is tried before its delivery is marked failed (the result stays stored).
    public var callbackMaxAttempts: Int
    /// Most deferred tasks run synchronously at once (those whose deadline leaves no room for another batch), so a
    /// burst of them cannot take over the upstream.
    public var maxSyncRuns: Int
    /// Where `callback_url`s may point (`callback_allow_hosts`, `callback_allow_private`): public addresses only by
    /// default.
    public var callbacks: CallbackPolicy

    /// Creates a batch configuration.
    public init(
        enabled: Bool = true, maxBatchSize: Int = 1000, maxWaitSeconds: Int64 = 60, pollIntervalSeconds: Int64 = 30,
        maxPollIntervalSeconds: Int64 = 300, minDeadlineSeconds: Int64 = 86_400, deferBackground: Bool = true,
        maxPendingPerClient: Int = 10_000, maxAttempts: Int = 3, callbackTimeoutSeconds: Int64 = 10,
        callbackMaxAttempts: Int = 5, maxSyncRuns: Int = 4, callbacks: CallbackPolicy = CallbackPolicy()
    ) {
        self.callbacks = callbacks
        self.enabled = enabled
        self.maxBatchSize = maxBatchSize
        self.maxWaitSeconds = maxWaitSeconds
        self.pollIntervalSeconds = pollIntervalSeconds
        self.maxPollIntervalSeconds = maxPollIntervalSeconds
        self.minDeadlineSeconds = minDeadlineSeconds
        self.deferBackground = deferBackground
        self.maxPendingPerClient = maxPendingPerClient
        self.maxAttempts = maxAttempts
        self.callbackTimeoutSeconds = callbackTimeoutSeconds
        self.callbackMaxAttempts = callbackMaxAttempts
        self.maxSyncRuns = maxSyncRuns
    }
}
