public import RouterCore
import Synchronization

/// The durable queue of deferred tasks and the batches they were packed into, in the ledger's database.
///
/// Every write commits before the method returns, with `PRAGMA synchronous=FULL` on this connection, so a task
/// acknowledged with `202 Accepted` survives a crash and a power cut. Methods are synchronous (each is a short
/// transaction) and safe from any thread: one connection behind a `Mutex`. It shares the file with the `Ledger`
/// (WAL mode lets both write; each waits up to the busy timeout for the other's lock).
public final class TaskQueue: Sendable {
    let database: Mutex<Database>
    let clock: any RouterClock
    /// Where the usage rows this queue commits join the budgets' spend totals (the service's ledger).
    let accounting: (any UsageAccounting)?

    /// Opens the queue in the ledger database at `path`, creating and migrating it if needed.
    ///
    /// - Parameters:
    ///   - accounting: adds the usage rows this queue commits (batch results, failed tasks) to the spend totals,
    ///     as part of each commit; nil where nothing reads spend.
    /// - Throws: the same `LedgerError`s as `Ledger.init`.
    public init(
        path: String, clock: any RouterClock = SystemClock(), accounting: (any UsageAccounting)? = nil
    ) throws(LedgerError) {
        let database = try Database(path: path)
        try Schema.prepare(database)
        try database.execute("PRAGMA synchronous=FULL")
        self.database = Mutex(database)
        self.clock = clock
        self.accounting = accounting
    }

    /// Stores a new task; it is durable when this returns.
    ///
    /// - Throws: `.invalidInput` when a task with that id exists, or a storage error.
    public func insert(_ task: DeferredTask) throws(LedgerError) {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "INSERT OR IGNORE INTO tasks (\(TaskRows.taskColumns)) VALUES (\(TaskRows.marks(22)))")
            statement.bind(all: TaskRows.values(of: task))
            try statement.run()
            if database.changes == 0 {
                throw LedgerError(code: .invalidInput, message: "A task with id '\(task.id)' already exists")
            }
        }
    }

    /// Runs one UPDATE (or other statement that returns no rows) with `values` bound in order, under the
    /// connection's lock; it is durable when this returns.
    func update(_ sql: String, binding values: [SQLValue]) throws(LedgerError) {
        try database.withLock { database throws(LedgerError) in try database.run(sql, binding: values) }
    }

    /// The task with `id`, or nil.
    public func task(id: String) throws(LedgerError) -> DeferredTask? {
        try database.withLock { database throws(LedgerError) in try TaskRows.task(id: id, in: database) }
    }

    /// Up to `limit` pending tasks, oldest first (ties by id), for packing into a batch.
    public func pendingTasks(limit: Int) throws(LedgerError) -> [DeferredTask] {
        try database.withLock { database throws(LedgerError) in try TaskRows.pendingTasks(limit: limit, in: database) }
    }

    /// How many tasks `client` has pending, submitted or running (not finished).
    public func unfinishedCount(client: String) throws(LedgerError) -> Int {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.unfinishedCount(client: client, in: database)
        }
    }

    /// Every task pending, submitted or running (not finished), oldest first: what budget reservations are
    /// rebuilt from at start.
    public func unfinishedTasks() throws(LedgerError) -> [DeferredTask] {
        try database.withLock { database throws(LedgerError) in try TaskRows.unfinishedTasks(in: database) }
    }

    /// How many tasks `client` has waiting to be packed.
    public func pendingCount(client: String) throws(LedgerError) -> Int {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.pendingCount(client: client, in: database)
        }
    }

    /// Records `batch` and moves the tasks to `.submitted` in it, all or nothing.
    ///
    /// - Parameter customIDs: each task's `custom_id` in the batch, by task id (tasks not listed use their id).
    /// - Throws: `.invalidInput` (and changes nothing) when a task is missing or not pending.
    public func markSubmitted(taskIDs: [String], batch: BatchRecord, customIDs: [String: String] = [:])
        throws(LedgerError)
    {
        let now = clock.nowMillis()
        try database.withLock { database throws(LedgerError) in
            try database.transaction { () throws(LedgerError) in
                let insertBatch = try database.prepare(
                    """
                    INSERT INTO batches (id, upstream_batch_id, state, created, submitted, ended, task_count)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                insertBatch.bind(all: [
                    .text(batch.id), .value(batch.upstreamBatchID), .text(batch.state.rawValue),
                    .integer(batch.createdMillis), .value(batch.submittedMillis), .value(batch.endedMillis),
                    .integer(Int64(batch.taskCount == 0 ? taskIDs.count : batch.taskCount)),
                ])
                try insertBatch.run()
                let update = try database.prepare(
                    """
                    UPDATE tasks SET state = 'submitted', batch_id = ?, custom_id = ?, attempts = attempts + 1,
                        updated = ? WHERE id = ? AND state = 'pending'
                    """)
                for id in taskIDs {
                    update.bind(all: [.text(batch.id), .text(customIDs[id] ?? id), .integer(now), .text(id)])
                    try update.run()
                    if database.changes != 1 {
                        throw LedgerError(
                            code: .invalidInput,
                            message: "Task '\(id)' is missing or not pending: batch '\(batch.id)' was not recorded")
                    }
                }
            }
        }
    }

    /// Updates a batch's upstream id, state and times (fields left nil keep their stored value).
    ///
    /// - Throws: `.notFound` when there is no such batch.
    public func updateBatch(
        id: String, upstreamBatchID: String? = nil, state: BatchRecord.State, submittedMillis: Int64? = nil,
        endedMillis: Int64? = nil
    ) throws(LedgerError) {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                """
                UPDATE batches SET upstream_batch_id = COALESCE(?, upstream_batch_id), state = ?,
                    submitted = COALESCE(?, submitted), ended = COALESCE(?, ended) WHERE id = ?
                """)
            statement.bind(all: [
                .value(upstreamBatchID), .text(state.rawValue), .value(submittedMillis),
                .value(endedMillis), .text(id),
            ])
            try statement.run()
            if database.changes == 0 {
                throw LedgerError(code: .notFound, message: "No batch with id '\(id)'")
            }
        }
    }

    /// The batch with `id`, or nil.
    public func batch(id: String) throws(LedgerError) -> BatchRecord? {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.batches("WHERE id = ?", [.text(id)], in: database).first
        }
    }

    /// Stores a task's outcome: `.succeeded` with its result, `.failed` with an error, or `.canceled`; or puts it
    /// back to `.pending` to be packed again.
    ///
    /// - Throws: `.notFound` when there is no such task, `.invalidInput` when it is already final.
    public func storeResult(
        taskID: String, state: DeferredTask.State, resultJSON: String? = nil, error: String? = nil
    ) throws(LedgerError) {
        guard state != .submitted else {
            throw LedgerError(code: .invalidInput, message: "Use markSubmitted to submit task '\(taskID)'")
        }
        let now = clock.nowMillis()
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                """
                UPDATE tasks SET state = ?, result_json = ?, error = ?, updated = ?,
                    batch_id = CASE WHEN ? = 'pending' THEN NULL ELSE batch_id END
                WHERE id = ? AND state IN ('pending', 'submitted')
                """)
            statement.bind(all: [
                .text(state.rawValue), .value(resultJSON), .value(error), .integer(now), .text(state.rawValue),
                .text(taskID),
            ])
            try statement.run()
            if database.changes == 0 {
                let exists = try Self.exists(taskID, in: database)
                throw exists
                    ? LedgerError(code: .invalidInput, message: "Task '\(taskID)' is already finished")
                    : LedgerError(code: .notFound, message: "No task with id '\(taskID)'")
            }
        }
    }

    /// Tasks still `.submitted` in batches that have not ended: after a restart, poll or resubmit these.
    public func tasksOfUnfinishedBatches() throws(LedgerError) -> [DeferredTask] {
        try select(
            """
            WHERE state = 'submitted' AND batch_id IN
                (SELECT id FROM batches WHERE state IN ('submitting', 'in_progress')) ORDER BY batch_id, created, id
            """, [])
    }

    // MARK: - Helpers

    func select(_ tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [DeferredTask] {
        try database.withLock { database throws(LedgerError) in try TaskRows.tasks(tail, parameters, in: database) }
    }

    private static func exists(_ id: String, in database: Database) throws(LedgerError) -> Bool {
        let statement = try database.prepare("SELECT 1 FROM tasks WHERE id = ?")
        defer { statement.reset() }
        statement.bind(id, at: 1)
        return try statement.step()
    }
}
