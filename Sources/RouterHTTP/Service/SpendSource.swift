public import RouterCore

/// Where the service reads a client's running spend (the ledger keeps it; tests may pass a fixed one).
public protocol SpendSource: Sendable {
    /// The client's spend in the current UTC day and month (`taskType` nil: all task types).
    func spend(client: String, taskType: String?) -> (day: Money, month: Money)
    /// Adds rows committed outside the recorder (batch results stored with their task) to the totals.
    func account(_ rows: [UsageRecord])
}

extension SpendSource {
    /// A fixed spend source has nothing to add.
    public func account(_ rows: [UsageRecord]) {}
}

/// A spend source that knows of no spend.
public struct NoSpend: SpendSource {
    public init() {}
    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) { (.zero, .zero) }
}
