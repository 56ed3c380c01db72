public import RouterCore
public import UsageLedger

extension Ledger: SpendSource {}

/// Any ledger store (SQLite or PostgreSQL) as the service's spend source.
public struct LedgerSpend: SpendSource {
    /// The store whose running totals the budgets read.
    public let ledger: any LedgerProtocol

    /// Wraps `ledger`.
    public init(_ ledger: any LedgerProtocol) { self.ledger = ledger }

    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
        ledger.spend(client: client, taskType: taskType)
    }
}
