package import RouterCore

/// The commit code of a ledger: what a `LedgerWriteQueue`'s writer thread runs on each batch it takes from the
/// queue. Each store writes its own way (`Ledger` on SQLite, `PostgresLedger`); the queue around it is shared.
///
/// Every method is called on the writer thread only, outside the queue's lock.
package protocol LedgerBatchWriter: AnyObject, Sendable {
    /// Commits `batch`, or as much of it as it can, in order.
    ///
    /// - Returns: how many rows (a prefix of `batch`) are committed, in how many transactions, and the error that
    ///   stopped the rest (the queue keeps those rows and retries them after `retryDelay`).
    func commit(_ batch: [UsageRecord]) -> (written: Int, transactions: Int, error: LedgerError?)

    /// Called after every pass of the writer, `written` rows committed (zero on an idle wake-up or a failure).
    func afterPass(written: Int)

    /// Called once the writer has stopped (after `close()`), before anyone waiting on the queue is released.
    func stopped()
}

extension LedgerBatchWriter {
    /// Nothing to do after a pass.
    package func afterPass(written: Int) {}

    /// Nothing to release when the writer stops.
    package func stopped() {}
}
