public import RouterCore
import Synchronization

/// Grouped packing and synchronous runs: a batch takes tasks of one header set, and a task whose deadline leaves no
/// room for another batch is run now instead (`running`), by the service's synchronous pipeline.
extension TaskQueue {
    /// The `UPDATE … SET` fragment that makes a finished task's callback due at once when it has a callback URL;
    /// it binds one parameter, the time.
    static let callbackDueSQL = """
        callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END,
        callback_next = CASE WHEN callback_url IS NULL THEN NULL ELSE ? END
        """

    /// What waits to be packed, one summary per header set, the set with the oldest task first.
    ///
    /// - Parameter deadlineNotBefore: tasks with a deadline earlier than this are left out (they are due to run
    ///   synchronously, not in a batch); nil counts every pending task.
    public func pendingGroups(deadlineNotBefore: Int64? = nil) throws(LedgerError) -> [PendingSummary] {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.pendingGroups(deadlineNotBefore: deadlineNotBefore, in: database)
        }
    }

    /// Up to `limit` pending tasks with header set `headers`, oldest first, leaving out those with a deadline
    /// earlier than `deadlineNotBefore`.
    public func pendingTasks(limit: Int, headers: String, deadlineNotBefore: Int64? = nil) throws(LedgerError)
        -> [DeferredTask]
    {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.pendingTasks(
                limit: limit, headers: headers, deadlineNotBefore: deadlineNotBefore, in: database)
        }
    }

    /// Up to `limit` pending tasks whose deadline is earlier than `deadlineBefore`, the earliest deadline first:
    /// the ones another batch could no longer serve in time.
    public func pendingTasks(deadlineBefore: Int64, limit: Int) throws(LedgerError) -> [DeferredTask] {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.pendingTasks(deadlineBefore: deadlineBefore, limit: limit, in: database)
        }
    }

    /// Takes a pending task to run it synchronously: it becomes `.running` and the run counts as an attempt.
    ///
    /// - Returns: the task as it is now, or nil when it is no longer pending (canceled meanwhile).
    public func startRun(taskID: String) throws(LedgerError) -> DeferredTask? {
        let now = clock.nowMillis()
        let started = try database.withLock { database throws(LedgerError) -> Bool in
            let statement = try database.prepare(
                """
                UPDATE tasks SET state = 'running', batch_id = NULL, custom_id = NULL, attempts = attempts + 1,
                    updated = ? WHERE id = ? AND state = 'pending'
                """)
            statement.bind(all: [.integer(now), .text(taskID)])
            try statement.run()
            return database.changes == 1
        }
        return started ? try task(id: taskID) : nil
    }

    /// Stores the outcome of a synchronous run (`.succeeded` or `.failed`); its callback becomes due at once.
    ///
    /// The run's ledger rows are the service's (written by its recorder, like any synchronous request).
    /// - Returns: false when the task is not running (nothing changed).
    public func finishRun(
        taskID: String, state: DeferredTask.State, resultJSON: String? = nil, error: String? = nil,
        costNano: Int64? = nil
    ) throws(LedgerError) -> Bool {
        guard state == .succeeded || state == .failed else {
            throw LedgerError(code: .invalidInput, message: "finishRun() stores succeeded or failed, not \(state)")
        }
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                """
                UPDATE tasks SET state = ?, result_json = ?, error = ?, cost_nano = ?, updated = ?,
                    \(Self.callbackDueSQL)
                WHERE id = ? AND state = 'running'
                """)
            statement.bind(all: [
                .text(state.rawValue), .value(resultJSON), .value(error), .value(costNano), .integer(now),
                .integer(now), .text(taskID),
            ])
            try statement.run()
            return database.changes == 1
        }
    }

    /// Puts a `.running` task back to `.pending` after a run that may succeed if tried again; the attempt counts.
    /// - Parameter error: what happened (kept in `error`, so `GET` can say).
    /// - Returns: false when the task is not running (nothing changed).
    public func requeueRun(taskID: String, error: String?) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "UPDATE tasks SET state = 'pending', error = ?, updated = ? WHERE id = ? AND state = 'running'")
            statement.bind(all: [.value(error), .integer(now), .text(taskID)])
            try statement.run()
            return database.changes == 1
        }
    }

    /// Puts `.running` tasks that no live run owns back to `.pending` (their process stopped mid-run); the attempt
    /// still counts, since the call may have reached the API.
    ///
    /// - Parameter keeping: the ids this process is running now (left alone).
    /// - Returns: how many went back.
    public func releaseRuns(keeping: Set<String>) throws(LedgerError) -> Int {
        let now = clock.nowMillis()
        let kept = keeping.sorted()
        let marks =
            kept.isEmpty ? "" : " AND id NOT IN (\(Array(repeating: "?", count: kept.count).joined(separator: ", ")))"
        return try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "UPDATE tasks SET state = 'pending', updated = ? WHERE state = 'running'" + marks)
            statement.bind(all: [.integer(now)] + kept.map { .text($0) })
            try statement.run()
            return database.changes
        }
    }

    /// Fails a task that is still `.pending` (its deadline passed before it could run), with its ledger rows in the
    /// same transaction; its callback becomes due at once.
    /// - Returns: false when it is no longer pending (nothing changed).
    public func failPending(taskID: String, error: String, usage: [UsageRecord] = []) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try database.withLock { database throws(LedgerError) in
            try database.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
                () throws(LedgerError) -> Bool in
                let statement = try database.prepare(
                    """
                    UPDATE tasks SET state = 'failed', error = ?, updated = ?, \(Self.callbackDueSQL)
                    WHERE id = ? AND state = 'pending'
                    """)
                statement.bind(all: [.text(error), .integer(now), .integer(now), .text(taskID)])
                try statement.run()
                guard database.changes == 1 else { return false }
                if !usage.isEmpty { try UsageRows.insert(usage, into: database) }
                return true
            }
        }
    }

    /// Sets (or clears, with nil) the note on batch `id`: why it is stuck, shown with its tasks.
    public func noteBatch(id: String, note: String?) throws(LedgerError) {
        try update("UPDATE batches SET note = ? WHERE id = ?", binding: [.value(note), .text(id)])
    }
}
