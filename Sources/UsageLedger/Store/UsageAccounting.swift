public import RouterCore

/// Where usage rows that a task queue commits join the spend totals a ledger keeps for the budgets.
///
/// The task queue stores a batch result, a failed task or a requeued attempt together with its ledger rows in one
/// transaction of its own; the budgets must count those rows exactly once, at once. A queue made with an
/// accounting (`TaskQueue(path:clock:accounting:)`, `PostgresTaskQueue(url:…:accounting:)`) hands each such
/// transaction's COMMIT to `commit(_:_:)`, which runs it and adds the rows as one step: a shared ledger that re-reads
/// every replica's committed spend (`PostgresLedger`) then never reads between the two, so it never counts a row both
/// in what it read and in what it was told.
public protocol UsageAccounting: AnyObject, Sendable {
    /// Runs `commit`, which makes `rows` durable, then adds their `.request` rows to the spend totals. When `commit`
    /// throws, nothing is added.
    func commit(_ rows: [UsageRecord], _ commit: () throws(LedgerError) -> Void) throws(LedgerError)
}
