/// How many requests may wait for a bucket's headroom, and for how long.
///
/// Each priority class has its own capacity, so background work can never take the queue slots interactive
/// requests need; memory per bucket is bounded by the sum whatever the load.
public struct AdmissionConfig: Sendable, Hashable {
    /// Interactive requests that may wait at once; the next one is refused with a `retry-after`.
    public var interactiveCapacity: Int
    /// Background requests that may wait at once.
    public var backgroundCapacity: Int
    /// The longest wait for headroom in milliseconds, also for requests that name no deadline.
    public var maxWaitMillis: Int64

    /// Creates an admission configuration (defaults: 256 interactive, 1,024 background, 30 s).
    public init(interactiveCapacity: Int = 256, backgroundCapacity: Int = 1_024, maxWaitMillis: Int64 = 30_000) {
        self.interactiveCapacity = max(0, interactiveCapacity)
        self.backgroundCapacity = max(0, backgroundCapacity)
        self.maxWaitMillis = max(0, maxWaitMillis)
    }
}
