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

    /// Opens the queue in the ledger database at `path`, creating and migrating it if needed.
    ///
    /// - Throws: the same `LedgerError`s as `Ledger.init`.
    public init(path: String, clock: any RouterClock = SystemClock()) throws(LedgerError) {
        let database = try Database(path: path)
        try Schema.prepare(database)
        try database.execute("PRAGMA synchronous=FULL")
        self.database = Mutex(database)
        self.clock = clock
    }

    private static let taskColumns =
        "id, client, created, deadline, priority, task_type, model, request_json, state, batch_id, custom_id,"
        + " attempts, result_json, error, callback_url, updated, meta_json, cost_nano, callback_state,"
        + " callback_attempts, callback_next, headers"

    /// Stores a new task; it is durable when this returns.
    ///
    /// - Throws: `.invalidInput` when a task with that id exists, or a storage error.
    public func insert(_ task: DeferredTask) throws(LedgerError) {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "INSERT OR IGNORE INTO tasks (\(Self.taskColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?)"
            )
            statement.bind(all: [
                .text(task.id), .text(task.client), .integer(task.createdMillis), Self.value(task.deadlineMillis),
                .text(task.priority), .text(task.taskType), .text(task.model), .text(task.requestJSON),
                .text(task.state.rawValue), Self.value(task.batchID), Self.value(task.customID),
                .integer(Int64(task.attempts)), Self.value(task.resultJSON), Self.value(task.error),
                Self.value(task.callbackURL), .integer(task.updatedMillis), Self.value(task.metaJSON),
                Self.value(task.costNano), Self.value(task.callbackState?.rawValue),
                .integer(Int64(task.callbackAttempts)), Self.value(task.callbackNextMillis), .text(task.headers),
            ])
            try statement.run()
            if database.changes == 0 {
                throw LedgerError(code: .invalidInput, message: "A task with id '\(task.id)' already exists")
            }
        }
    }

    /// The task with `id`, or nil.
    public func task(id: String) throws(LedgerError) -> DeferredTask? {
        try select("WHERE id = ?", [.text(id)]).first
    }

    /// Up to `limit` pending tasks, oldest first (ties by id), for packing into a batch.
    public func pendingTasks(limit: Int) throws(LedgerError) -> [DeferredTask] {
        try select("WHERE state = 'pending' ORDER BY created, id LIMIT ?", [.integer(Int64(max(0, limit)))])
    }

    /// How many tasks `client` has pending, submitted or running (not finished).
    public func unfinishedCount(client: String) throws(LedgerError) -> Int {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "SELECT COUNT(*) FROM tasks WHERE client = ? AND state IN ('pending', 'submitted', 'running')")
            defer { statement.reset() }
            statement.bind(client, at: 1)
            return try statement.step() ? statement.int(0) : 0
        }
    }

    /// Every task pending, submitted or running (not finished), oldest first: what budget reservations are
    /// rebuilt from at start.
    public func unfinishedTasks() throws(LedgerError) -> [DeferredTask] {
        try select("WHERE state IN ('pending', 'submitted', 'running') ORDER BY created, id", [])
    }

    /// How many tasks `client` has waiting to be packed.
    public func pendingCount(client: String) throws(LedgerError) -> Int {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare("SELECT COUNT(*) FROM tasks WHERE client = ? AND state = 'pending'")
            defer { statement.reset() }
            statement.bind(client, at: 1)
            return try statement.step() ? statement.int(0) : 0
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
                    .text(batch.id), Self.value(batch.upstreamBatchID), .text(batch.state.rawValue),
                    .integer(batch.createdMillis), Self.value(batch.submittedMillis), Self.value(batch.endedMillis),
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
                Self.value(upstreamBatchID), .text(state.rawValue), Self.value(submittedMillis),
                Self.value(endedMillis), .text(id),
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
            try Self.selectBatches("WHERE id = ?", [.text(id)], in: database).first
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
                .text(state.rawValue), Self.value(resultJSON), Self.value(error), .integer(now), .text(state.rawValue),
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
        try database.withLock { database throws(LedgerError) in try Self.selectTasks(tail, parameters, in: database) }
    }

    static func selectTasks(_ tail: String, _ parameters: [SQLValue], in database: Database) throws(LedgerError)
        -> [DeferredTask]
    {
        let statement = try database.prepare("SELECT \(Self.taskColumns) FROM tasks " + tail)
        defer { statement.reset() }
        statement.bind(all: parameters)
        var tasks: [DeferredTask] = []
        while try statement.step() {
            tasks.append(
                DeferredTask(
                    id: statement.text(0), client: statement.text(1), createdMillis: statement.int64(2),
                    deadlineMillis: statement.optionalInt64(3), priority: statement.text(4),
                    taskType: statement.text(5), model: statement.text(6), requestJSON: statement.text(7),
                    state: DeferredTask.State(rawValue: statement.text(8)) ?? .failed,
                    batchID: statement.optionalText(9), customID: statement.optionalText(10),
                    attempts: statement.int(11), resultJSON: statement.optionalText(12),
                    error: statement.optionalText(13), callbackURL: statement.optionalText(14),
                    updatedMillis: statement.int64(15), metaJSON: statement.optionalText(16),
                    costNano: statement.optionalInt64(17),
                    callbackState: statement.optionalText(18).flatMap(DeferredTask.CallbackState.init(rawValue:)),
                    callbackAttempts: statement.int(19), callbackNextMillis: statement.optionalInt64(20),
                    headers: statement.text(21)))
        }
        return tasks
    }

    static func selectBatches(_ tail: String, _ parameters: [SQLValue], in database: Database)
        throws(LedgerError) -> [BatchRecord]
    {
        let statement = try database.prepare(
            "SELECT id, upstream_batch_id, state, created, submitted, ended, task_count, note FROM batches " + tail)
        defer { statement.reset() }
        statement.bind(all: parameters)
        var batches: [BatchRecord] = []
        while try statement.step() {
            batches.append(
                BatchRecord(
                    id: statement.text(0), upstreamBatchID: statement.optionalText(1),
                    state: BatchRecord.State(rawValue: statement.text(2)) ?? .failed,
                    createdMillis: statement.int64(3), submittedMillis: statement.optionalInt64(4),
                    endedMillis: statement.optionalInt64(5), taskCount: statement.int(6),
                    note: statement.optionalText(7)))
        }
        return batches
    }

    private static func exists(_ id: String, in database: Database) throws(LedgerError) -> Bool {
        let statement = try database.prepare("SELECT 1 FROM tasks WHERE id = ?")
        defer { statement.reset() }
        statement.bind(id, at: 1)
        return try statement.step()
    }

    static func value(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    static func value(_ int: Int64?) -> SQLValue { int.map { .integer($0) } ?? .null }
}
