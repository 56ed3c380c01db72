public import RouterCore
import Synchronization

extension TaskQueue {
    /// What is waiting to be packed: enough for the scheduler to decide whether to send a batch now.
    public struct PendingSummary: Sendable, Hashable {
        /// Tasks waiting.
        public var count: Int
        /// When the oldest waiting task was accepted (milliseconds since the epoch).
        public var oldestCreatedMillis: Int64?
        /// The earliest deadline among the waiting tasks.
        public var earliestDeadlineMillis: Int64?
        /// The header set these tasks share (`DeferredTask.headers`); `pendingSummary()` mixes all sets.
        public var headers: String = ""
    }

    /// Counts for the metrics: tasks waiting to be packed and batches not finished yet.
    public struct Depth: Sendable, Hashable {
        /// Tasks pending.
        public var pending: Int
        /// Batches submitting or in progress.
        public var batchesInFlight: Int
    }

    /// How many tasks wait, the oldest's age and the earliest deadline.
    public func pendingSummary() throws(LedgerError) -> PendingSummary {
        try database.withLock { database throws(LedgerError) in try TaskRows.pendingSummary(in: database) }
    }

    /// Pending tasks and unfinished batches.
    public func depth() throws(LedgerError) -> Depth {
        try database.withLock { database throws(LedgerError) in try TaskRows.depth(in: database) }
    }

    /// Batches in any of `states`, oldest first.
    public func batches(in states: [BatchRecord.State]) throws(LedgerError) -> [BatchRecord] {
        guard !states.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: states.count).joined(separator: ", ")
        return try database.withLock { database throws(LedgerError) in
            try TaskRows.batches(
                "WHERE state IN (\(marks)) ORDER BY created, id", states.map { .text($0.rawValue) }, in: database)
        }
    }

    /// The newest `limit` batches whose upstream id is known, newest first: the reconciler's map of what the router
    /// created (it only needs the ones as recent as the API's list pages it reads).
    public func batchesWithUpstreamID(limit: Int = 10_000) throws(LedgerError) -> [BatchRecord] {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.batches(
                "WHERE upstream_batch_id IS NOT NULL ORDER BY created DESC, id DESC LIMIT ?",
                [.integer(Int64(max(0, limit)))], in: database)
        }
    }

    /// The tasks still `.submitted` in batch `batchID` (those whose result has not been stored).
    public func submittedTasks(inBatch batchID: String) throws(LedgerError) -> [DeferredTask] {
        try tasks(where: "WHERE state = 'submitted' AND batch_id = ? ORDER BY created, id", [.text(batchID)])
    }

    /// Tasks whose callback is due at `nowMillis`, oldest due first.
    public func dueCallbacks(nowMillis: Int64, limit: Int) throws(LedgerError) -> [DeferredTask] {
        try tasks(
            where: "WHERE callback_state = 'pending' AND callback_next <= ? ORDER BY callback_next, id LIMIT ?",
            [.integer(nowMillis), .integer(Int64(max(0, limit)))])
    }

    /// Stores the final outcome of task `taskID` from batch `batchID`, and its ledger row, in one transaction.
    ///
    /// Nothing changes (and it returns false) unless the task is still `.submitted` in that batch: a result read
    /// again after a restart is therefore stored once, and its cost recorded once. When the task has a callback URL,
    /// its delivery becomes due at once.
    /// - Parameters:
    ///   - state: `.succeeded` or `.failed`.
    ///   - usage: the ledger rows of the outcome (the billed result, or the failed attempt), inserted with the daily
    ///     rollup in the same transaction.
    public func complete(
        taskID: String, batchID: String, state: DeferredTask.State, resultJSON: String? = nil, error: String? = nil,
        costNano: Int64? = nil, usage: [UsageRecord] = []
    ) throws(LedgerError) -> Bool {
        guard state == .succeeded || state == .failed else {
            throw LedgerError(code: .invalidInput, message: "complete() stores succeeded or failed, not \(state)")
        }
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            try database.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
                () throws(LedgerError) -> Bool in
                let update = try database.prepare(
                    """
                    UPDATE tasks SET state = ?, result_json = ?, error = ?, cost_nano = ?, updated = ?,
                        \(Self.callbackDueSQL)
                    WHERE id = ? AND batch_id = ? AND state = 'submitted'
                    """)
                update.bind(all: [
                    .text(state.rawValue), .value(resultJSON), .value(error), .value(costNano),
                    .integer(now), .integer(now), .text(taskID), .text(batchID),
                ])
                try update.run()
                guard database.changes == 1 else { return false }
                if !usage.isEmpty { try UsageRows.insert(usage, into: database) }
                return true
            }
        }
    }

    /// A task still `.submitted` in `batchID` goes back to `.pending`, to be packed into a later batch.
    ///
    /// - Parameters:
    ///   - error: why (kept in `error` until the task finishes, so `GET` can say what happened).
    ///   - refund: true when the batch never reached the API, so the attempt does not count.
    ///   - usage: the ledger rows of the failed attempt, inserted in the same transaction (so exactly once).
    /// - Returns: false when the task is no longer submitted in that batch (nothing changed).
    public func requeue(
        taskID: String, batchID: String, error: String?, refund: Bool = false, usage: [UsageRecord] = []
    ) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            try database.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
                () throws(LedgerError) -> Bool in
                let statement = try database.prepare(
                    """
                    UPDATE tasks SET state = 'pending', batch_id = NULL, custom_id = NULL, error = ?, updated = ?,
                        attempts = CASE WHEN ? = 1 THEN MAX(0, attempts - 1) ELSE attempts END
                    WHERE id = ? AND batch_id = ? AND state = 'submitted'
                    """)
                statement.bind(all: [
                    .value(error), .integer(now), .integer(refund ? 1 : 0), .text(taskID), .text(batchID),
                ])
                try statement.run()
                guard database.changes == 1 else { return false }
                if !usage.isEmpty { try UsageRows.insert(usage, into: database) }
                return true
            }
        }
    }

    /// Gives up on batch `id` before it reached the API: its submitted tasks go back to `.pending` with the
    /// attempt refunded, and the batch becomes `state` — all in one transaction.
    /// - Returns: how many tasks went back.
    public func releaseBatch(id: String, state: BatchRecord.State = .failed) throws(LedgerError) -> Int {
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            try database.transaction { () throws(LedgerError) -> Int in
                let tasks = try database.prepare(
                    """
                    UPDATE tasks SET state = 'pending', batch_id = NULL, custom_id = NULL, updated = ?,
                        attempts = MAX(0, attempts - 1)
                    WHERE batch_id = ? AND state = 'submitted'
                    """)
                tasks.bind(all: [.integer(now), .text(id)])
                try tasks.run()
                let moved = database.changes
                let batch = try database.prepare("UPDATE batches SET state = ?, ended = ? WHERE id = ?")
                batch.bind(all: [.text(state.rawValue), .integer(now), .text(id)])
                try batch.run()
                return moved
            }
        }
    }

    /// Records one callback attempt: `.delivered`, `.failed` (no more tries), or `.pending` with the next try's
    /// time.
    public func recordCallback(taskID: String, state: DeferredTask.CallbackState, attempts: Int, nextMillis: Int64?)
        throws(LedgerError)
    {
        try update(
            "UPDATE tasks SET callback_state = ?, callback_attempts = ?, callback_next = ? WHERE id = ?",
            binding: [.text(state.rawValue), .integer(Int64(attempts)), .value(nextMillis), .text(taskID)])
    }

    /// Cancels a task of `client` that is still `.pending` (not yet sent).
    /// - Returns: false when there is no such pending task of that client.
    public func cancelPending(taskID: String, client: String) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                """
                UPDATE tasks SET state = 'canceled', error = 'canceled by the client', updated = ?
                WHERE id = ? AND client = ? AND state = 'pending'
                """)
            statement.bind(all: [.integer(now), .text(taskID), .text(client)])
            try statement.run()
            return database.changes == 1
        }
    }

    private func tasks(where tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [DeferredTask] {
        try select(tail, parameters)
    }
}
