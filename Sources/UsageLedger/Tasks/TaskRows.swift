/// The task-queue tables as both stores read and write them: the columns, the decoding of a row, the values of an
/// insert, and the queries they ask in the same SQL. The dialect-specific statements (claiming, upserts, leases)
/// stay with each store (`TaskQueue`, `PostgresTaskQueue`).
package enum TaskRows {
    /// The columns of `tasks`, in `task(_:)` and `values(of:)` order.
    package static let taskColumns =
        "id, client, created, deadline, priority, task_type, model, request_json, state, batch_id, custom_id,"
        + " attempts, result_json, error, callback_url, updated, meta_json, cost_nano, callback_state,"
        + " callback_attempts, callback_next, headers"

    /// The columns of `batches`, in `batch(_:)` order.
    package static let batchColumns = "id, upstream_batch_id, state, created, submitted, ended, task_count, note"

    /// The columns of `client_batches`, in `clientBatch(_:)` order.
    package static let clientBatchColumns = "id, client, upstream_batch_id, created, request_count, headers"

    /// The columns of `budget_alerts`, in `alert(_:)` order.
    package static let alertColumns =
        "id, client, task_type, period, period_start, level, created, body, state, attempts, next_attempt"

    /// `?, ?, …` for `count` parameters.
    package static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The task in a row selected with `taskColumns`.
    package static func task(_ r: any SQLRow) -> DeferredTask {
        DeferredTask(
            id: r.text(0), client: r.text(1), createdMillis: r.int64(2), deadlineMillis: r.optionalInt64(3),
            priority: r.text(4), taskType: r.text(5), model: r.text(6), requestJSON: r.text(7),
            state: DeferredTask.State(rawValue: r.text(8)) ?? .failed, batchID: r.optionalText(9),
            customID: r.optionalText(10), attempts: r.int(11), resultJSON: r.optionalText(12),
            error: r.optionalText(13), callbackURL: r.optionalText(14), updatedMillis: r.int64(15),
            metaJSON: r.optionalText(16), costNano: r.optionalInt64(17),
            callbackState: r.optionalText(18).flatMap(DeferredTask.CallbackState.init(rawValue:)),
            callbackAttempts: r.int(19), callbackNextMillis: r.optionalInt64(20), headers: r.text(21))
    }

    /// The values of `task` in `taskColumns` order, for an insert.
    package static func values(of task: DeferredTask) -> [SQLValue] {
        [
            .text(task.id), .text(task.client), .integer(task.createdMillis), .value(task.deadlineMillis),
            .text(task.priority), .text(task.taskType), .text(task.model), .text(task.requestJSON),
            .text(task.state.rawValue), .value(task.batchID), .value(task.customID),
            .integer(Int64(task.attempts)), .value(task.resultJSON), .value(task.error), .value(task.callbackURL),
            .integer(task.updatedMillis), .value(task.metaJSON), .value(task.costNano),
            .value(task.callbackState?.rawValue), .integer(Int64(task.callbackAttempts)),
            .value(task.callbackNextMillis), .text(task.headers),
        ]
    }

    /// The batch in a row selected with `batchColumns`.
    package static func batch(_ r: any SQLRow) -> BatchRecord {
        BatchRecord(
            id: r.text(0), upstreamBatchID: r.optionalText(1),
            state: BatchRecord.State(rawValue: r.text(2)) ?? .failed, createdMillis: r.int64(3),
            submittedMillis: r.optionalInt64(4), endedMillis: r.optionalInt64(5), taskCount: r.int(6),
            note: r.optionalText(7))
    }

    /// The client batch in a row selected with `clientBatchColumns`.
    package static func clientBatch(_ r: any SQLRow) -> ClientBatch {
        ClientBatch(
            id: r.text(0), client: r.text(1), upstreamBatchID: r.text(2), createdMillis: r.int64(3),
            requestCount: r.int(4), headers: r.text(5))
    }

    /// The budget alert in a row selected with `alertColumns`.
    package static func alert(_ r: any SQLRow) -> TaskQueue.BudgetAlert {
        TaskQueue.BudgetAlert(
            id: r.text(0), client: r.text(1), taskType: r.text(2), period: r.text(3), periodStartDay: r.int64(4),
            level: r.text(5), createdMillis: r.int64(6), body: r.text(7),
            state: TaskQueue.BudgetAlert.State(rawValue: r.text(8)) ?? .failed, attempts: r.int(9),
            nextAttemptMillis: r.optionalInt64(10))
    }

    // MARK: - Queries both stores ask in the same SQL

    /// The tasks `tail` (`WHERE …`, `ORDER BY …`) selects.
    package static func tasks(_ tail: String, _ parameters: [SQLValue], in reader: some SQLReader)
        throws(LedgerError) -> [DeferredTask]
    {
        try reader.rows("SELECT \(taskColumns) FROM tasks " + tail, parameters, task(_:))
    }

    /// The router's batches `tail` selects.
    package static func batches(_ tail: String, _ parameters: [SQLValue], in reader: some SQLReader)
        throws(LedgerError) -> [BatchRecord]
    {
        try reader.rows("SELECT \(batchColumns) FROM batches " + tail, parameters, batch(_:))
    }

    /// The client batches `tail` selects.
    package static func clientBatches(_ tail: String, _ parameters: [SQLValue], in reader: some SQLReader)
        throws(LedgerError) -> [ClientBatch]
    {
        try reader.rows("SELECT \(clientBatchColumns) FROM client_batches " + tail, parameters, clientBatch(_:))
    }

    /// The budget alerts `tail` selects.
    package static func alerts(_ tail: String, _ parameters: [SQLValue], in reader: some SQLReader)
        throws(LedgerError) -> [TaskQueue.BudgetAlert]
    {
        try reader.rows("SELECT \(alertColumns) FROM budget_alerts " + tail, parameters, alert(_:))
    }

    /// The batch `id` when `client` owns it and has not deleted it.
    package static func clientBatch(id: String, client: String, in reader: some SQLReader) throws(LedgerError)
        -> ClientBatch?
    {
        try clientBatches("WHERE id = ? AND client = ? AND deleted = 0", [.text(id), .text(client)], in: reader).first
    }

    /// One page of `client`'s batches, newest first (`TaskQueueProtocol.clientBatches`): at most `limit` plus one,
    /// so the caller can tell whether more exist.
    package static func clientBatchPage(
        client: String, afterID: String?, beforeID: String?, limit: Int, in reader: some SQLReader
    ) throws(LedgerError) -> [ClientBatch] {
        let limit = Int64(max(0, limit))
        if let afterID {
            return try clientBatches(
                """
                WHERE client = ? AND deleted = 0 AND (created, id) < (SELECT created, id FROM client_batches
                    WHERE id = ? AND client = ?) ORDER BY created DESC, id DESC LIMIT ?
                """, [.text(client), .text(afterID), .text(client), .integer(limit + 1)], in: reader)
        }
        if let beforeID {
            let newer = try clientBatches(
                """
                WHERE client = ? AND deleted = 0 AND (created, id) > (SELECT created, id FROM client_batches
                    WHERE id = ? AND client = ?) ORDER BY created, id LIMIT ?
                """, [.text(client), .text(beforeID), .text(client), .integer(limit + 1)], in: reader)
            return newer.reversed()
        }
        return try clientBatches(
            "WHERE client = ? AND deleted = 0 ORDER BY created DESC, id DESC LIMIT ?",
            [.text(client), .integer(limit + 1)], in: reader)
    }

    /// The upstream ids of the newest `limit` client batches, deleted ones included.
    package static func clientBatchUpstreamIDs(limit: Int, in reader: some SQLReader) throws(LedgerError)
        -> Set<String>
    {
        Set(
            try reader.rows(
                "SELECT upstream_batch_id FROM client_batches ORDER BY created DESC, id DESC LIMIT ?",
                [.integer(Int64(max(0, limit)))]
            ) { $0.text(0) })
    }

    /// The task `id`.
    package static func task(id: String, in reader: some SQLReader) throws(LedgerError) -> DeferredTask? {
        try tasks("WHERE id = ?", [.text(id)], in: reader).first
    }

    /// Up to `limit` pending tasks, oldest first (ties by id).
    package static func pendingTasks(limit: Int, in reader: some SQLReader) throws(LedgerError) -> [DeferredTask] {
        try tasks("WHERE state = 'pending' ORDER BY created, id LIMIT ?", [.integer(Int64(max(0, limit)))], in: reader)
    }

    /// Up to `limit` pending tasks with header set `headers`, oldest first, none with a deadline before
    /// `deadlineNotBefore`.
    package static func pendingTasks(
        limit: Int, headers: String, deadlineNotBefore: Int64?, in reader: some SQLReader
    ) throws(LedgerError) -> [DeferredTask] {
        try tasks(
            """
            WHERE state = 'pending' AND headers = ? AND (deadline IS NULL OR deadline >= ?)
            ORDER BY created, id LIMIT ?
            """, [.text(headers), .integer(deadlineNotBefore ?? Int64.min), .integer(Int64(max(0, limit)))],
            in: reader)
    }

    /// Up to `limit` pending tasks whose deadline is before `deadlineBefore`, the earliest first.
    package static func pendingTasks(deadlineBefore: Int64, limit: Int, in reader: some SQLReader)
        throws(LedgerError) -> [DeferredTask]
    {
        try tasks(
            "WHERE state = 'pending' AND deadline IS NOT NULL AND deadline < ? ORDER BY deadline, id LIMIT ?",
            [.integer(deadlineBefore), .integer(Int64(max(0, limit)))], in: reader)
    }

    /// The pending tasks grouped by header set, the group with the oldest task first (ties by header set), leaving out
    /// tasks with a deadline before `deadlineNotBefore`.
    package static func pendingGroups(deadlineNotBefore: Int64?, in reader: some SQLReader) throws(LedgerError)
        -> [TaskQueue.PendingSummary]
    {
        try reader.rows(
            """
            SELECT headers, COUNT(*), MIN(created), MIN(deadline) FROM tasks
            WHERE state = 'pending' AND (deadline IS NULL OR deadline >= ?)
            GROUP BY headers ORDER BY MIN(created), headers
            """, [.integer(deadlineNotBefore ?? Int64.min)]
        ) {
            TaskQueue.PendingSummary(
                count: $0.int(1), oldestCreatedMillis: $0.optionalInt64(2), earliestDeadlineMillis: $0.optionalInt64(3),
                headers: $0.text(0))
        }
    }

    /// How many tasks are pending, the oldest one's creation time and the earliest deadline among them.
    package static func pendingSummary(in reader: some SQLReader) throws(LedgerError) -> TaskQueue.PendingSummary {
        try reader.rows("SELECT COUNT(*), MIN(created), MIN(deadline) FROM tasks WHERE state = 'pending'", []) {
            TaskQueue.PendingSummary(
                count: $0.int(0), oldestCreatedMillis: $0.optionalInt64(1), earliestDeadlineMillis: $0.optionalInt64(2))
        }.first ?? TaskQueue.PendingSummary(count: 0)
    }

    /// How many tasks are pending and how many batches are submitting or in progress.
    package static func depth(in reader: some SQLReader) throws(LedgerError) -> TaskQueue.Depth {
        try reader.rows(
            """
            SELECT (SELECT COUNT(*) FROM tasks WHERE state = 'pending'),
                (SELECT COUNT(*) FROM batches WHERE state IN ('submitting', 'in_progress'))
            """, []
        ) { TaskQueue.Depth(pending: $0.int(0), batchesInFlight: $0.int(1)) }.first
            ?? TaskQueue.Depth(pending: 0, batchesInFlight: 0)
    }

    /// Every task pending, submitted or running, oldest first.
    package static func unfinishedTasks(in reader: some SQLReader) throws(LedgerError) -> [DeferredTask] {
        try tasks("WHERE state IN ('pending', 'submitted', 'running') ORDER BY created, id", [], in: reader)
    }

    /// How many tasks `client` has pending, submitted or running.
    package static func unfinishedCount(client: String, in reader: some SQLReader) throws(LedgerError) -> Int {
        try count("WHERE client = ? AND state IN ('pending', 'submitted', 'running')", [.text(client)], in: reader)
    }

    /// How many tasks `client` has pending.
    package static func pendingCount(client: String, in reader: some SQLReader) throws(LedgerError) -> Int {
        try count("WHERE client = ? AND state = 'pending'", [.text(client)], in: reader)
    }

    private static func count(_ tail: String, _ parameters: [SQLValue], in reader: some SQLReader)
        throws(LedgerError) -> Int
    {
        try reader.rows("SELECT COUNT(*) FROM tasks " + tail, parameters) { $0.int(0) }.first ?? 0
    }
}
