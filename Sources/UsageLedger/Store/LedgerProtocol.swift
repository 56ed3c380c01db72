public import RouterCore

/// The usage side of a ledger store: where every request's row goes, and the running spend the budgets read.
///
/// Two implementations pass one test suite: `Ledger` (SQLite, the embedded default, one process) and
/// `PostgresLedger` (module `UsageLedgerPostgres`, shared by several replicas). Both only enqueue in `record` and
/// commit many rows per transaction off the request path, maintaining the daily rollup in the same transaction.
public protocol LedgerProtocol: UsageRecorder, UsageAccounting {
    /// Where the ledger lives, for logs and errors (never a password).
    var location: String { get }

    /// Commits every row recorded before the call, then returns.
    ///
    /// - Throws: the writer's error when the commit failed (the rows stay queued and are retried).
    func flush() async throws(LedgerError)

    /// Commits everything queued and stops the writer. Later calls return at once.
    func close() async throws(LedgerError)

    /// What `client` has spent today and this month (UTC), optionally on one task type only.
    ///
    /// On a shared store this includes what the other replicas committed, as of the last refresh.
    func spend(client: String, taskType: String?) -> (day: Money, month: Money)

    /// The last write error, cleared by the next successful commit; nil when all is well.
    var lastError: LedgerError? { get }

    /// Rows recorded and not yet committed.
    var pendingCount: Int { get }
}

extension LedgerProtocol {
    /// What `client` has spent today and this month on all task types.
    public func spend(client: String) -> (day: Money, month: Money) { spend(client: client, taskType: nil) }
}

extension Ledger: LedgerProtocol {
    /// The database file.
    public var location: String { path }
}
