/// What a bucket has left at one instant, for metrics and `/readyz`-style reports.
public struct Headroom: Sendable, Hashable {
    /// Requests available now, or nil when RPM is not paced.
    public var requests: Int64?
    /// Input tokens available now, or nil when ITPM is not paced.
    public var inputTokens: Int64?
    /// Output tokens available now, or nil when OTPM is not paced.
    public var outputTokens: Int64?
    /// Milliseconds the bucket stays closed after a 429's `retry-after` (0 when open).
    public var blockedForMillis: Int64

    /// Creates a snapshot.
    public init(requests: Int64?, inputTokens: Int64?, outputTokens: Int64?, blockedForMillis: Int64 = 0) {
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.blockedForMillis = blockedForMillis
    }
}
