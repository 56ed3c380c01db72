import Foundation
public import RouterCore
import Synchronization

/// The SQLite usage ledger: a `UsageRecorder` whose `record` only enqueues, and one writer thread that commits
/// queued rows in batched transactions, maintaining the daily rollup in the same transaction.
///
/// - The queue is bounded (`LedgerConfiguration.queueCapacity`): when it is full, `record` suspends until the writer
///   has taken rows, so rows are never dropped and a stalled disk slows callers instead of growing memory.
/// - A failed commit (disk full, busy) keeps its rows at the head of the queue and is retried after
///   `retryDelay`; `lastError` says why, and `flush()` throws it.
/// - Call `close()` at shutdown: it commits everything queued. A ledger that is never closed keeps its writer
///   thread alive.
///
/// The state is protected by one `NSCondition` (the writer sleeps on it); continuations are resumed outside it.
/// The connection is touched only by the writer thread after `init` returns.
public final class Ledger: UsageRecorder, @unchecked Sendable {
    private struct Blocked {
        var sequence: Int64
        var row: UsageRecord
        var continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var queue: [UsageRecord] = []
        /// Rows whose `record` found the queue full, in arrival order.
        var blocked: [Blocked] = []
        /// Synchronous-mode callers waiting for their row's commit.
        var commitWaiters: [(sequence: Int64, continuation: CheckedContinuation<Void, Never>)] = []
        var flushWaiters: [(sequence: Int64, continuation: CheckedContinuation<LedgerError?, Never>)] = []
        /// Rows accepted by `record` so far; a row's sequence number is its position in this count.
        var accepted: Int64 = 0
        /// Rows committed so far (always a prefix of the accepted rows).
        var committed: Int64 = 0
        var flushRequested = false
        var closing = false
        var finished = false
        var closeWaiters: [CheckedContinuation<LedgerError?, Never>] = []
        var lastError: LedgerError?
        var rejectedAfterClose = 0
        /// Transactions committed by the writer (tests check that a long batch is split by time).
        var transactions = 0
    }

    /// The database file.
    public let path: String
    private let configuration: LedgerConfiguration
    /// The writer's connection; tests reach it to simulate a crash mid-transaction.
    let database: Database
    private let condition = NSCondition()
    private var state = State()
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
        let database = try Database(path: path)
        try Schema.prepare(database)
        // The writer only appends: its working set is the tail of the table and of the time indexes, the month's
        // rollup, and the request-id index's leaves. 4 MiB holds that; a larger cache (or an mmap window, whose
        // touched pages count in the service's RSS) grows with the file and pushed the service past 64 MB,
        // while pages it misses come from the OS page cache. Reports are separate processes with their own
        // connections. Checkpoint less often so pages written again and again reach the main file once per
        // checkpoint.
        try database.execute("PRAGMA cache_size=-4096")
        try database.execute("PRAGMA wal_autocheckpoint=10000")
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        self.totals = Mutex(try SpendTotals.load(from: database, today: today, dialect: .sqlite))
        self.database = database
        if startWriter {
            let thread = Thread { [self] in self.runWriter() }
            thread.name = "claude-router ledger writer"
            thread.start()
        }
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
        let synchronous = configuration.commitInterval <= .zero
        // Fast path: room in the queue and no one to wait for, so no continuation and no suspension (creating
        // and resuming one costs more than the rest of `record` together).
        if !synchronous && enqueueIfRoom(row) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if state.closing {
                state.rejectedAfterClose += 1
                state.lastError = LedgerError(
                    code: .closed,
                    message: "\(state.rejectedAfterClose) row(s) were recorded after the ledger '\(path)' was"
                        + " closed and not written: close the ledger only after the service stops recording")
                condition.unlock()
                continuation.resume()
                return
            }
            state.accepted += 1
            let sequence = state.accepted
            var resumeNow = false
            if state.queue.count < configuration.queueCapacity && state.blocked.isEmpty {
                state.queue.append(row)
                if synchronous {
                    state.commitWaiters.append((sequence, continuation))
                    condition.signal()
                } else {
                    resumeNow = true
                    if state.queue.count == 1 || state.queue.count >= configuration.queueCapacity {
                        condition.signal()
                    }
                }
            } else {
                state.blocked.append(Blocked(sequence: sequence, row: row, continuation: continuation))
                condition.signal()
            }
            condition.unlock()
            if resumeNow { continuation.resume() }
        }
    }

    /// Queues `row` when there is room and nobody is ahead of it; false when the caller must take the slow path.
    private func enqueueIfRoom(_ row: UsageRecord) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !state.closing && state.blocked.isEmpty && state.queue.count < configuration.queueCapacity else {
            return false
        }
        state.accepted += 1
        state.queue.append(row)
        if state.queue.count == 1 || state.queue.count >= configuration.queueCapacity { condition.signal() }
        return true
    }

    /// Commits every row recorded before the call, then returns.
    ///
    /// - Throws: the writer's error when the commit failed (the rows stay queued and are retried).
    public func flush() async throws(LedgerError) {
        let error: LedgerError? = await withCheckedContinuation { continuation in
            condition.lock()
            if state.committed >= state.accepted {
                condition.unlock()
                continuation.resume(returning: nil)
                return
            }
            if state.finished {
                let error = state.lastError
                condition.unlock()
                continuation.resume(returning: error)
                return
            }
            state.flushWaiters.append((state.accepted, continuation))
            state.flushRequested = true
            condition.signal()
            condition.unlock()
        }
        if let error { throw error }
    }

    /// Commits everything queued and stops the writer. Later calls return at once.
    ///
    /// - Throws: the last commit's error when rows could not be written; the message says how many.
    public func close() async throws(LedgerError) {
        let error: LedgerError? = await withCheckedContinuation { continuation in
            condition.lock()
            if state.finished {
                condition.unlock()
                continuation.resume(returning: nil)
                return
            }
            state.closing = true
            state.closeWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
        if let error { throw error }
    }

    /// Adds rows committed by another writer (the task queue stores batch results with their rows in one
    /// transaction) to the budget totals, so budgets see them without a restart. Writes nothing.
    public func account(_ rows: [UsageRecord]) {
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
    public var lastError: LedgerError? {
        condition.lock()
        defer { condition.unlock() }
        return state.lastError
    }

    /// Rows recorded and not yet committed (queued, blocked or being written).
    public var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return Int(state.accepted - state.committed)
    }

    /// Record calls parked on the full queue (for tests of backpressure).
    var blockedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.blocked.count
    }

    // MARK: - The writer

    private func runWriter() {
        let interval = configuration.commitInterval.timeInterval
        condition.lock()
        while true {
            while state.queue.isEmpty && state.blocked.isEmpty && !state.closing {
                condition.wait()
            }
            if state.queue.isEmpty && state.blocked.isEmpty && state.closing { break }
            // Gather rows for one transaction: until the interval since the first row has passed, the queue is
            // full, or someone waits (flush, close, a synchronous caller, a blocked caller).
            if interval > 0 {
                let deadline = Date(timeIntervalSinceNow: interval)
                while !mustCommitNow() {
                    if !condition.wait(until: deadline) { break }
                }
            }
            var batch: [UsageRecord] = []
            swap(&batch, &state.queue)
            var resumed: [CheckedContinuation<Void, Never>] = []
            admitBlocked(into: &resumed)
            state.flushRequested = false
            let upToStart = state.committed
            condition.unlock()
            for continuation in resumed { continuation.resume() }

            // Transactions are capped by time as well as rows: a saturated writer still commits at least every
            // commit interval, so a crash loses at most that much of what was being written.
            let (written, transactions, outcome) = write(batch, maxTransactionSeconds: interval)
            let upTo = upToStart + Int64(written)

            condition.lock()
            state.transactions += transactions
            var committedWaiters: [CheckedContinuation<Void, Never>] = []
            var flushed: [(CheckedContinuation<LedgerError?, Never>, LedgerError?)] = []
            state.committed = upTo
            if outcome == nil, state.lastError?.code != .closed { state.lastError = nil }
            state.commitWaiters.removeAll { waiter in
                guard waiter.sequence <= upTo else { return false }
                committedWaiters.append(waiter.continuation)
                return true
            }
            state.flushWaiters.removeAll { waiter in
                guard waiter.sequence <= upTo else { return false }
                flushed.append((waiter.continuation, nil))
                return true
            }
            if let outcome {
                state.lastError = outcome
                // Keep the unwritten rows, in order, ahead of anything queued since.
                state.queue = Array(batch[written...]) + state.queue
                for waiter in state.flushWaiters { flushed.append((waiter.continuation, outcome)) }
                state.flushWaiters = []
            }
            let giveUp = outcome != nil && state.closing
            condition.unlock()
            for continuation in committedWaiters { continuation.resume() }
            for (continuation, error) in flushed { continuation.resume(returning: error) }
            condition.lock()
            if giveUp { break }
            if outcome != nil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: configuration.retryDelay.timeInterval))
            }
        }
        // Closing: report what could not be written, release everyone still waiting.
        let unwritten = state.accepted - state.committed
        var finalError: LedgerError? = nil
        if unwritten > 0 {
            let cause = state.lastError?.description ?? "unknown error"
            finalError = LedgerError(
                code: state.lastError?.code ?? .sqlite,
                message: "The ledger '\(path)' closed with \(unwritten) row(s) not written: \(cause)",
                sqliteCode: state.lastError?.sqliteCode)
            state.lastError = finalError
        }
        state.finished = true
        let closeWaiters = state.closeWaiters
        let flushWaiters = state.flushWaiters
        let commitWaiters = state.commitWaiters
        let blocked = state.blocked
        state.closeWaiters = []
        state.flushWaiters = []
        state.commitWaiters = []
        state.blocked = []
        condition.unlock()
        for waiter in commitWaiters { waiter.continuation.resume() }
        for waiter in blocked { waiter.continuation.resume() }
        for waiter in flushWaiters { waiter.continuation.resume(returning: finalError) }
        for continuation in closeWaiters { continuation.resume(returning: finalError) }
    }

    /// True when the writer should stop gathering and commit (called with the lock held).
    private func mustCommitNow() -> Bool {
        state.closing || state.flushRequested || !state.commitWaiters.isEmpty || !state.blocked.isEmpty
            || state.queue.count >= configuration.queueCapacity
    }

    /// Moves blocked rows into the (just emptied) queue in order; collects the callers to resume.
    private func admitBlocked(into resumed: inout [CheckedContinuation<Void, Never>]) {
        guard !state.blocked.isEmpty else { return }
        let room = configuration.queueCapacity - state.queue.count
        let admitted = state.blocked.prefix(room)
        let synchronous = configuration.commitInterval <= .zero
        for entry in admitted {
            state.queue.append(entry.row)
            if synchronous {
                state.commitWaiters.append((entry.sequence, entry.continuation))
            } else {
                resumed.append(entry.continuation)
            }
        }
        state.blocked.removeFirst(admitted.count)
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

    /// Transactions the writer has committed so far.
    var transactionCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.transactions
    }
}
