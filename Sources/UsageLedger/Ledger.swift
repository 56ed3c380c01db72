import Foundation
public import RouterCore
import Synchronization

/// The SQLite usage ledger: a `UsageRecorder` whose `record` only enqueues, and one writer thread that commits
/// queued rows in batched transactions, maintaining the daily rollup in the same transaction.
///
/// The queue, its backpressure, synchronous mode, retries and close are `LedgerWriteQueue`'s (shared with
/// `PostgresLedger`): `record` suspends while the queue is full and never drops a row, a failed commit (disk full,
/// busy) is retried after `retryDelay` and `flush()` throws its error, and `close()` commits everything queued. A
/// ledger that is never closed keeps its writer thread alive.
///
/// The connection is touched only by the writer thread after `init` returns; the totals are behind their `Mutex`.
public final class Ledger: UsageRecorder, @unchecked Sendable {
    /// The database file.
    public let path: String
    private let configuration: LedgerConfiguration
    /// The writer's connection; tests reach it to simulate a crash mid-transaction.
    let database: Database
    private let queue: LedgerWriteQueue
    private let totals: Mutex<SpendTotals>

    /// Opens (creating if needed) the ledger at `path`, migrates its schema, rebuilds the budget totals and
    /// starts the writer.
    ///
    /// - Throws: `LedgerError` with `.newerSchema`, `.corrupt`, `.readOnly`, `.cannotOpen`, `.diskFull` or `.busy`;
    ///   the message says what to do.
    public convenience init(path: String, configuration: LedgerConfiguration = LedgerConfiguration())
        throws(LedgerError)
    {
        try self.init(path: path, configuration: configuration, startWriter: true)
    }

    init(path: String, configuration: LedgerConfiguration, startWriter: Bool) throws(LedgerError) {
        self.path = path
        self.configuration = configuration
        self.queue = LedgerWriteQueue(configuration: configuration, name: "'\(path)'")
        let database = try Database(path: path)
        try Schema.prepare(database)
        // The writer only appends: its working set is the tail of the table and of the time indexes, the month's
        // rollup, and the request-id index's leaves. A larger cache (or an mmap window, whose touched pages count
        // in the service's RSS) grows with the file and pushed the service past 64 MB, while pages it misses come
        // from the OS page cache. 2 MiB against 4: peak RSS 63.0 against 65.4 MB after ~175,000 requests
        // (memory.sh), and the same write rate (LedgerBench write: 183-197k rows/s at 300,000 rows either way,
        // 170k against 180k at 1.5M), about 40 times what the service writes at its peak. Reports are separate
        // processes with their own connections. Checkpoint less often so pages written again and again reach the
        // main file once per checkpoint.
        try database.execute("PRAGMA cache_size=-2048")
        try database.execute("PRAGMA wal_autocheckpoint=10000")
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        self.totals = Mutex(try SpendTotals.load(from: database, today: today, dialect: .sqlite))
        self.database = database
        if startWriter { queue.start(writer: self, threadName: "claude-router ledger writer") }
    }

    // MARK: - Recording

    /// Queues `row` for the next commit and adds its cost to the budget totals.
    ///
    /// Suspends while the queue is full; with a synchronous configuration, also until the row is committed.
    /// A row recorded after `close()` is not written: it is counted in `lastError` (`.closed`).
    public func record(_ row: UsageRecord) async {
        if row.kind == .request {
            totals.withLock {
                $0.add(client: row.client, taskType: row.taskType, cost: row.cost, atMillis: row.timestampMillis)
            }
        }
        await queue.record(row)
    }

    /// Commits every row recorded before the call, then returns.
    ///
    /// - Throws: the writer's error when the commit failed (the rows stay queued and are retried).
    public func flush() async throws(LedgerError) {
        if let error = await queue.flush() { throw error }
    }

    /// Commits everything queued and stops the writer. Later calls return at once.
    ///
    /// - Throws: the last commit's error when rows could not be written; the message says how many.
    public func close() async throws(LedgerError) {
        if let error = await queue.close() { throw error }
    }

    /// Runs the task queue's `commit` of `rows`, then adds them to the budget totals, so budgets see them at once.
    /// The totals are this process's alone (they are never re-read from the file), so nothing can come between.
    public func commit(_ rows: [UsageRecord], _ commit: () throws(LedgerError) -> Void) throws(LedgerError) {
        try commit()
        totals.withLock { totals in
            for row in rows where row.kind == .request {
                totals.add(client: row.client, taskType: row.taskType, cost: row.cost, atMillis: row.timestampMillis)
            }
        }
    }

    /// What `client` has spent today and this month (UTC), optionally on one task type only.
    public func spend(client: String, taskType: String? = nil) -> (day: Money, month: Money) {
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        return totals.withLock { $0.spend(client: client, taskType: taskType, today: today) }
    }

    /// A copy of the running totals.
    public var spendTotals: SpendTotals { totals.withLock { $0 } }

    /// The last write error, cleared by the next successful commit; nil when all is well.
    public var lastError: LedgerError? { queue.lastError }

    /// Rows recorded and not yet committed (queued, blocked or being written).
    public var pendingCount: Int { queue.pendingCount }

    /// Record calls parked on the full queue (for tests of backpressure).
    var blockedCount: Int { queue.blockedCount }

    /// Transactions the writer has committed so far.
    var transactionCount: Int { queue.transactionCount }
}

extension Ledger: LedgerBatchWriter {
    /// Transactions are capped by time as well as rows: a saturated writer still commits at least every commit
    /// interval, so a crash loses at most that much of what was being written.
    package func commit(_ batch: [UsageRecord]) -> (written: Int, transactions: Int, error: LedgerError?) {
        write(batch, maxTransactionSeconds: configuration.commitInterval.timeInterval)
    }

    /// Writes `batch` in as few transactions as fit in `maxTransactionSeconds` each (called on the writer thread
    /// only); a non-positive limit writes one transaction.
    ///
    /// - Returns: how many rows (a prefix of `batch`) are committed, in how many transactions, and the error that
    ///   stopped the rest.
    func write(_ batch: [UsageRecord], maxTransactionSeconds: TimeInterval) -> (Int, Int, LedgerError?) {
        var written = 0
        var transactions = 0
        let limit = Duration.nanoseconds(Int64(min(maxTransactionSeconds, 1e9) * 1e9))
        while written < batch.count {
            let start = ContinuousClock.now
            do throws(LedgerError) {
                let end = try database.transaction { () throws(LedgerError) -> Int in
                    // Chunks of 512 rows, so the clock is read once per chunk; the rollup deltas of the whole
                    // transaction are summed in memory and applied with one upsert per key at the end.
                    var rollup = UsageRows.RollupDeltas()
                    var end = written
                    repeat {
                        let next = min(batch.count, end + 512)
                        try UsageRows.insertRows(batch[end..<next], into: database, rollup: &rollup)
                        end = next
                    } while end < batch.count && (limit <= .zero || ContinuousClock.now - start < limit)
                    try UsageRows.apply(rollup, to: database)
                    return end
                }
                written = end
                transactions += 1
            } catch {
                return (written, transactions, error)
            }
        }
        return (written, transactions, nil)
    }
}
