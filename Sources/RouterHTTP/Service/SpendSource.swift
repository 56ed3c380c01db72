public import RouterCore

/// Where the service reads a client's running spend (the ledger keeps it; tests may pass a fixed one).
public protocol SpendSource: Sendable {
    /// The client's spend in the current UTC day and month (`taskType` nil: all task types).
    func spend(client: String, taskType: String?) -> (day: Money, month: Money)
}

/// A spend source that knows of no spend.
public struct NoSpend: SpendSource {
    public init() {}
    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) { (.zero, .zero) }
}
