/// When and how deferred work goes to the Message Batches API.
public struct BatchConfig: Sendable, Hashable {
    /// Whether deferral is on at all.
    public var enabled: Bool
    /// Send a batch once this many tasks wait (the API allows up to 100,000).
    public var maxBatchSize: Int
    /// Send a batch once the oldest waiting task has waited this long, in seconds.
    public var maxWaitSeconds: Int64
    /// How often to poll a running batch, in seconds.
    public var pollIntervalSeconds: Int64
    /// Only defer a task whose deadline is at least this far away, in seconds (batches may take up to 24 h).
    public var minDeadlineSeconds: Int64
    /// Defer background tasks of deferrable task types without being asked.
    public var deferBackground: Bool

    /// Creates a batch configuration.
    public init(
        enabled: Bool = true, maxBatchSize: Int = 1000, maxWaitSeconds: Int64 = 60, pollIntervalSeconds: Int64 = 30,
        minDeadlineSeconds: Int64 = 86_400, deferBackground: Bool = true
    ) {
        self.enabled = enabled
        self.maxBatchSize = maxBatchSize
        self.maxWaitSeconds = maxWaitSeconds
        self.pollIntervalSeconds = pollIntervalSeconds
        self.minDeadlineSeconds = minDeadlineSeconds
        self.deferBackground = deferBackground
    }
}
