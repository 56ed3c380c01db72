import Foundation
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
/// Behaves as `Ledger` does otherwise: bounded queue (`record` suspends when full, never drops a row), a failed
/// commit keeps its rows and is retried after `retryDelay`, `close()` commits everything queued.
///
/// The state is protected by one `NSCondition` (the writer sleeps on it); continuations are resumed outside it.
public final class PostgresLedger: LedgerProtocol, @unchecked Sendable {
    private struct Uncovered {
        /// The row's sequence number when it was recorded here; nil for rows `account`ed after another commit.
        var sequence: Int64?
        /// The refresh epoch when an accounted row was added (a refresh that starts later covers it).
        var epoch: Int
        var client: String
        var taskType: String
        var cost: Money
        var millis: Int64
    }
    private struct State {
        var queue: [UsageRecord] = []
        var blocked: [(row: UsageRecord, continuation: CheckedContinuation<Void, Never>)] = []
        var waiters: [(sequence: Int64, continuation: CheckedContinuation<LedgerError?, Never>)] = []
        var accepted: Int64 = 0
        var committed: Int64 = 0
        var flushRequested = false
        var closing = false
        var finished = false
        var closeWaiters: [CheckedContinuation<LedgerError?, Never>] = []
        var lastError: LedgerError?
        var shared = SpendTotals()
        var uncovered: [Uncovered] = []
        var epoch = 0
        var transactions = 0
    }

    /// The database, without its password.
    public let location: String
    private let configuration: LedgerConfiguration
    private let refreshInterval: Duration
    private let session: PostgresSession
    private let condition = NSCondition()
    private var state = State()

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
        self.session = try PostgresSession(url: url, logger: logger)
        try PostgresSchema.migrate(session)
        state.shared = try SpendTotals.load(
            from: session, today: UTCDay(containingMillis: configuration.clock.nowMillis()), dialect: .postgres)
        let thread = Thread { [self] in self.runWriter() }
        thread.name = "claude-router postgres ledger writer"
        thread.start()
    }

    // MARK: - Recording

    /// Queues `row` for the next commit and adds its cost to the spend totals.
    public func record(_ row: UsageRecord) async {
        let synchronous = configuration.commitInterval <= .zero
        guard let sequence = enqueueIfRoom(row, synchronous: synchronous) else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                state.blocked.append((row, continuation))
                condition.signal()
                condition.unlock()
            }
            return
        }
        if synchronous && sequence > 0 { _ = await waitFor(sequence) }
    }

    /// Queues `row` when there is room and nobody is ahead of it and returns its sequence number (0 when the ledger
    /// is closed and the row was refused); nil when the caller must wait for room.
    private func enqueueIfRoom(_ row: UsageRecord, synchronous: Bool) -> Int64? {
        condition.lock()
        defer { condition.unlock() }
        if state.closing {
            state.lastError = LedgerError(
                code: .closed, message: "A row was recorded after the ledger \(location) was closed and not written")
            return 0
        }
        guard state.blocked.isEmpty && state.queue.count < configuration.queueCapacity else { return nil }
        state.accepted += 1
        let sequence = state.accepted
        state.queue.append(row)
        addUncovered(row, sequence: sequence)
        if state.queue.count == 1 || state.queue.count >= configuration.queueCapacity || synchronous {
            condition.signal()
        }
        return sequence
    }

    /// Called with the lock held.
    private func addUncovered(_ row: UsageRecord, sequence: Int64?) {
        guard row.kind == .request else { return }
        state.uncovered.append(
            Uncovered(
                sequence: sequence, epoch: state.epoch, client: row.client, taskType: row.taskType, cost: row.cost,
                millis: row.timestampMillis))
    }

    private func waitFor(_ sequence: Int64) async -> LedgerError? {
        await withCheckedContinuation { continuation in
            condition.lock()
            if state.committed >= sequence || state.finished {
                let error = state.committed >= sequence ? nil : state.lastError
                condition.unlock()
                continuation.resume(returning: error)
                return
            }
            state.waiters.append((sequence, continuation))
            state.flushRequested = true
            condition.signal()
            condition.unlock()
        }
    }

    /// Commits every row recorded before the call, then returns.
    public func flush() async throws(LedgerError) {
        if let error = await waitFor(lastSequence()) { throw error }
    }

    /// The sequence number the last row recorded so far will have (rows waiting for room included).
    private func lastSequence() -> Int64 {
        condition.lock()
        defer { condition.unlock() }
        return state.accepted + Int64(state.blocked.count)
    }

    /// Commits everything queued and stops the writer.
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

    /// Adds rows another writer committed to the spend totals until the next refresh reads them from the rollup.
    public func account(_ rows: [UsageRecord]) {
        condition.lock()
        for row in rows { addUncovered(row, sequence: nil) }
        condition.unlock()
    }

    /// What `client` has spent today and this month on every replica (as of the last refresh), plus what this
    /// replica recorded since.
    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        condition.lock()
        defer { condition.unlock() }
        var totals = state.shared
        for row in state.uncovered where row.client == client && (taskType == nil || row.taskType == taskType) {
            totals.add(client: row.client, taskType: row.taskType, cost: row.cost, atMillis: row.millis)
        }
        return totals.spend(client: client, taskType: taskType, today: today)
    }

    /// The last write error, cleared by the next successful commit.
    public var lastError: LedgerError? {
        condition.lock()
        defer { condition.unlock() }
        return state.lastError
    }

    /// Rows recorded and not yet committed.
    public var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return Int(state.accepted - state.committed) + state.blocked.count
    }

    /// Transactions committed so far (benchmarks).
    public var transactionCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.transactions
    }

    // MARK: - The writer

    private func runWriter() {
        let interval = configuration.commitInterval.timeInterval
        var lastRefresh = ContinuousClock.now
        condition.lock()
        while true {
            while state.queue.isEmpty && state.blocked.isEmpty && !state.closing && state.waiters.isEmpty {
                let due = Date(timeIntervalSinceNow: refreshInterval.timeInterval)
                if !condition.wait(until: due) { break }
            }
            if state.queue.isEmpty && state.blocked.isEmpty && state.closing { break }
            if !state.queue.isEmpty && interval > 0 && !state.closing && !state.flushRequested
                && state.blocked.isEmpty
            {
                let deadline = Date(timeIntervalSinceNow: interval)
                while !state.closing && !state.flushRequested && state.blocked.isEmpty
                    && state.queue.count < configuration.queueCapacity
                {
                    if !condition.wait(until: deadline) { break }
                }
            }
            var batch: [UsageRecord] = []
            swap(&batch, &state.queue)
            var resumed: [CheckedContinuation<Void, Never>] = []
            let room = configuration.queueCapacity
            let admitted = state.blocked.prefix(room)
            for entry in admitted {
                state.accepted += 1
                state.queue.append(entry.row)
                addUncovered(entry.row, sequence: state.accepted)
                resumed.append(entry.continuation)
            }
            state.blocked.removeFirst(admitted.count)
            state.flushRequested = false
            let base = state.committed
            condition.unlock()
            for continuation in resumed { continuation.resume() }

            var failure: LedgerError?
            var written = 0
            var transactions = 0
            while written < batch.count {
                // Transactions of at most 10,000 rows: a crash loses at most what was queued, never more.
                let end = min(batch.count, written + 10_000)
                do throws(LedgerError) {
                    try session.transaction { () throws(LedgerError) in
                        try PostgresUsageRows.insert(Array(batch[written..<end]), session: session)
                    }
                    written = end
                    transactions += 1
                } catch {
                    failure = error
                    break
                }
            }
            if ContinuousClock.now - lastRefresh >= refreshInterval || written > 0 {
                refreshTotals()
                lastRefresh = ContinuousClock.now
            }

            condition.lock()
            state.transactions += transactions
            state.committed = base + Int64(written)
            if failure == nil, state.lastError?.code != .closed { state.lastError = nil }
            var done: [(CheckedContinuation<LedgerError?, Never>, LedgerError?)] = []
            let committed = state.committed
            state.waiters.removeAll { waiter in
                if waiter.sequence <= committed {
                    done.append((waiter.continuation, nil))
                    return true
                }
                return false
            }
            if let failure {
                state.lastError = failure
                state.queue = Array(batch[written...]) + state.queue
                for waiter in state.waiters { done.append((waiter.continuation, failure)) }
                state.waiters = []
            }
            let giveUp = failure != nil && state.closing
            condition.unlock()
            for (continuation, error) in done { continuation.resume(returning: error) }
            condition.lock()
            if giveUp { break }
            if failure != nil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: configuration.retryDelay.timeInterval))
            }
        }
        let unwritten = state.accepted - state.committed + Int64(state.blocked.count)
        var finalError: LedgerError? = nil
        if unwritten > 0 {
            finalError = LedgerError(
                code: state.lastError?.code ?? .database,
                message: "The ledger \(location) closed with \(unwritten) row(s) not written: "
                    + (state.lastError?.message ?? "unknown error"))
            state.lastError = finalError
        }
        state.finished = true
        let closeWaiters = state.closeWaiters
        let waiters = state.waiters
        let blocked = state.blocked
        state.closeWaiters = []
        state.waiters = []
        state.blocked = []
        condition.unlock()
        session.close()
        for entry in blocked { entry.continuation.resume() }
        for waiter in waiters { waiter.continuation.resume(returning: finalError) }
        for continuation in closeWaiters { continuation.resume(returning: finalError) }
    }

    /// Re-reads this month's spend of every replica; rows this replica committed before the read started, and rows
    /// accounted before it started, are in it from now on.
    private func refreshTotals() {
        condition.lock()
        let committedAtStart = state.committed
        state.epoch += 1
        let epochAtStart = state.epoch
        condition.unlock()
        let today = UTCDay(containingMillis: configuration.clock.nowMillis())
        guard let totals = try? SpendTotals.load(from: session, today: today, dialect: .postgres) else { return }
        condition.lock()
        state.shared = totals
        state.uncovered.removeAll { row in
            if let sequence = row.sequence { return sequence <= committedAtStart }
            return row.epoch < epochAtStart
        }
        condition.unlock()
    }
}
