import Foundation
import Synchronization
public import Logging
public import RouterCore
public import UsageLedger

/// The usage ledger on PostgreSQL, shared by every replica: `record` only enqueues, and one writer thread commits
/// queued rows with multi-row `INSERT`s and one rollup upsert per transaction (`PostgresUsageRows`).
///
/// Spend totals are shared: the writer re-reads this month's rollup (every replica's committed spend) at most every
/// `refreshInterval` and after its own commits, and `spend` adds the rows this replica recorded that the last read
/// did not include yet. Another replica's spend is therefore seen within its commit interval plus the refresh
/// interval; each replica's own budget holds cover its work in between (docs/ledger.md says how far budgets hold
/// across replicas).
///
/// The queue, its backpressure, synchronous mode, retries and close are `LedgerWriteQueue`'s, as for `Ledger`:
/// `record` suspends while the queue is full and never drops a row, a failed commit keeps its rows and is retried
/// after `retryDelay`, `close()` commits everything queued.
///
/// Rows the task queue commits (batch results, failed tasks) reach the totals through `commit(_:_:)`, which runs the
/// queue's COMMIT and adds them under `accountingGate`; a refresh holds the same gate from its read to its update, so
/// every accounted row was committed before the read began, and the read replaces it. No row is counted twice, none
/// is missed.
///
/// The session is touched only by the writer thread after `init` returns; the spend totals are behind their `Mutex`.
public final class PostgresLedger: LedgerProtocol, @unchecked Sendable {
    private struct Uncovered {
        /// The row's sequence number when it was recorded here; nil for a row the task queue committed.
        var sequence: Int64?
        var client: String
        var taskType: String
        var cost: Money
        var millis: Int64
    }
    private struct Totals {
        var shared = SpendTotals()
        var uncovered: [Uncovered] = []
        /// When the writer last re-read the shared totals.
        var lastRefresh = ContinuousClock.now
    }

    /// The database, without its password.
    public let location: String
    private let configuration: LedgerConfiguration
    private let refreshInterval: Duration
    private let session: PostgresSession
    private let queue: LedgerWriteQueue
    private let totals = Mutex(Totals())
    /// Held across a task queue's COMMIT and the accounting of its rows, and across a refresh's read and update.
    private let accountingGate = NSLock()

    /// Connects, migrates the schema (under the advisory lock), reads this month's spend and starts the writer.
    ///
    /// - Parameters:
    ///   - refreshInterval: how often the shared spend totals are re-read when nothing is written.
    /// - Throws: `.newerSchema`, `.invalidInput` for a bad URL, `.database` when the server cannot be reached.
    public init(
        url: PostgresURL, configuration: LedgerConfiguration = LedgerConfiguration(),
        refreshInterval: Duration = .milliseconds(250), logger: Logger = Logger(label: "claude-router.postgres")
    ) throws(LedgerError) {
        self.location = url.description
        self.configuration = configuration
        self.refreshInterval = refreshInterval
        self.queue = LedgerWriteQueue(configuration: configuration, name: url.description, idleWake: refreshInterval)
        self.session = try PostgresSession(url: url, logger: logger)
        try PostgresSchema.migrate(session)
        let shared = try SpendTotals.load(
            from: session, today: UTCDay(containingMillis: configuration.clock.nowMillis()), dialect: .postgres)
        totals.withLock { $0.shared = shared }
        queue.start(writer: self, threadName: "claude-router postgres ledger writer")
    }

    // MARK: - Recording

    /// Queues `row` for the next commit and adds its cost to the spend totals.
    ///
    /// Suspends while the queue is full; with a synchronous configuration, also until the row is committed.
    /// A row recorded after `close()` is not written: it is counted in `lastError` (`.closed`).
    public func record(_ row: UsageRecord) async {
        await queue.record(row) { sequence in addUncovered(row, sequence: sequence) }
    }

    private func addUncovered(_ row: UsageRecord, sequence: Int64?) {
        guard row.kind == .request else { return }
        totals.withLock { totals in
            totals.uncovered.append(
                Uncovered(
                    sequence: sequence, client: row.client, taskType: row.taskType,
                    cost: row.cost, millis: row.timestampMillis))
        }
    }

    /// Commits every row recorded before the call, then returns.
    public func flush() async throws(LedgerError) {
        if let error = await queue.flush() { throw error }
    }

    /// Commits everything queued and stops the writer.
    public func close() async throws(LedgerError) {
        if let error = await queue.close() { throw error }
    }

    /// Runs the task queue's `commit` of `rows` and adds them to the spend totals, with no refresh in between; the
    /// next refresh reads them from the rollup instead.
    public func commit(_ rows: [UsageRecord], _ commit: () throws(LedgerError) -> Void) throws(LedgerError) {
        accountingGate.lock()
        defer { accountingGate.unlock() }
        try commit()
        for row in rows { addUncovered(row, sequence: nil) }
    }

    /// What `client` has spent today and this month on every replica (as of the last refresh), plus what this
    /// replica recorded since.
    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        return totals.withLock { state in
            var totals = state.shared
            for row in state.uncovered where row.client == client && (taskType == nil || row.taskType == taskType) {
                totals.add(client: row.client, taskType: row.taskType, cost: row.cost, atMillis: row.millis)
            }
            return totals.spend(client: client, taskType: taskType, today: today)
        }
    }

    /// The last write error, cleared by the next successful commit.
    public var lastError: LedgerError? { queue.lastError }

    /// Rows recorded and not yet committed.
    public var pendingCount: Int { queue.pendingCount }

    /// Transactions committed so far (benchmarks).
    public var transactionCount: Int { queue.transactionCount }
}

extension PostgresLedger: LedgerBatchWriter {
    /// Transactions of at most 10,000 rows: a crash loses at most what was queued, never more.
    package func commit(_ batch: [UsageRecord]) -> (written: Int, transactions: Int, error: LedgerError?) {
        var written = 0
        var transactions = 0
        while written < batch.count {
            let end = min(batch.count, written + 10_000)
            do throws(LedgerError) {
                try session.transaction { () throws(LedgerError) in
                    try PostgresUsageRows.insert(Array(batch[written..<end]), session: session)
                }
                written = end
                transactions += 1
            } catch {
                return (written, transactions, error)
            }
        }
        return (written, transactions, nil)
    }

    /// Re-reads the shared totals after a commit, and at least every `refreshInterval`.
    package func afterPass(written: Int) {
        let due = totals.withLock { ContinuousClock.now - $0.lastRefresh >= refreshInterval }
        if due || written > 0 { refreshTotals() }
    }

    package func stopped() { session.close() }

    /// Re-reads this month's spend of every replica. The read holds every row this replica committed before it
    /// (this thread commits them, so none commits during the read) and every accounted row: the gate keeps the
    /// task queue from committing between the read and the update, and each accounted row was committed before.
    private func refreshTotals() {
        let committedAtStart = queue.committedCount
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        accountingGate.lock()
        defer { accountingGate.unlock() }
        let loaded = try? SpendTotals.load(from: session, today: today, dialect: .postgres)
        totals.withLock { totals in
            totals.lastRefresh = ContinuousClock.now
            guard let loaded else { return }
            totals.shared = loaded
            totals.uncovered.removeAll { row in
                guard let sequence = row.sequence else { return true }
                return sequence <= committedAtStart
            }
        }
    }
}
