import Foundation
public import RouterCore
public import UsageLedger

/// Upstream batches: claiming tasks into a batch, its state, and what happens to its tasks when it ends.
extension PostgresTaskQueue {
    public func markSubmitted(taskIDs: [String], batch: BatchRecord, customIDs: [String: String])
        throws(LedgerError)
    {
        let now = clock.nowMillis()
        try session.transaction { () throws(LedgerError) in
            // Claim every task or none: a task another replica is packing right now is skipped, not waited for.
            let claimed = try session.query(
                "SELECT id FROM tasks WHERE id IN (\(TaskRows.marks(taskIDs.count))) AND state = 'pending'"
                    + " FOR UPDATE SKIP LOCKED", taskIDs.map { .text($0) })
            guard claimed.count == Set(taskIDs).count else {
                let got = Set(claimed.map { $0.text(0) })
                let missing = taskIDs.first { !got.contains($0) } ?? "?"
                throw LedgerError(
                    code: .invalidInput,
                    message: "Task '\(missing)' is missing, not pending or being packed by another replica:"
                        + " batch '\(batch.id)' was not recorded")
            }
            try session.execute(
                """
                INSERT INTO batches (id, upstream_batch_id, state, created, submitted, ended, task_count, owner)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(batch.id), .value(batch.upstreamBatchID), .text(batch.state.rawValue),
                    .integer(batch.createdMillis), .value(batch.submittedMillis), .value(batch.endedMillis),
                    .integer(Int64(batch.taskCount == 0 ? taskIDs.count : batch.taskCount)), .text(replicaID),
                ])
            for id in taskIDs {
                try session.execute(
                    """
                    UPDATE tasks SET state = 'submitted', batch_id = ?, custom_id = ?, attempts = attempts + 1,
                        updated = ? WHERE id = ? AND state = 'pending'
                    """, [.text(batch.id), .text(customIDs[id] ?? id), .integer(now), .text(id)])
            }
        }
    }

    public func updateBatch(
        id: String, upstreamBatchID: String?, state: BatchRecord.State, submittedMillis: Int64?, endedMillis: Int64?
    ) throws(LedgerError) {
        let changed = try session.execute(
            """
            UPDATE batches SET upstream_batch_id = COALESCE(?, upstream_batch_id), state = ?,
                submitted = COALESCE(?, submitted), ended = COALESCE(?, ended) WHERE id = ?
            """,
            [
                .value(upstreamBatchID), .text(state.rawValue), .value(submittedMillis), .value(endedMillis),
                .text(id),
            ])
        if changed == 0 { throw LedgerError(code: .notFound, message: "No batch with id '\(id)'") }
    }

    public func batch(id: String) throws(LedgerError) -> BatchRecord? {
        try selectBatches("WHERE id = ?", [.text(id)]).first
    }

    public func tasksOfUnfinishedBatches() throws(LedgerError) -> [DeferredTask] {
        try select(
            """
            WHERE state = 'submitted' AND batch_id IN
                (SELECT id FROM batches WHERE state IN ('submitting', 'in_progress')) ORDER BY batch_id, created, id
            """, [])
    }

    public func pendingSummary() throws(LedgerError) -> TaskQueue.PendingSummary {
        try TaskRows.pendingSummary(in: session)
    }

    public func depth() throws(LedgerError) -> TaskQueue.Depth {
        try heartbeat()
        return try TaskRows.depth(in: session)
    }

    /// The batches in `states` this replica may act on: its own, and those whose owner's lease expired, which it
    /// takes over here (claimed with `FOR UPDATE SKIP LOCKED`, so two replicas never take the same one).
    public func batches(in states: [BatchRecord.State]) throws(LedgerError) -> [BatchRecord] {
        guard !states.isEmpty else { return [] }
        try heartbeat()
        let now = clock.nowMillis()
        return try session.transaction { () throws(LedgerError) -> [BatchRecord] in
            let rows = try session.query(
                """
                UPDATE batches SET owner = ? WHERE id IN (SELECT id FROM batches WHERE state IN (\(TaskRows.marks(states.count)))
                    AND \(Self.takeable) ORDER BY created, id FOR UPDATE SKIP LOCKED)
                RETURNING \(TaskRows.batchColumns)
                """, [.text(replicaID)] + states.map { .text($0.rawValue) } + [.text(replicaID), .integer(now)])
            return rows.map { TaskRows.batch($0) }.sorted { ($0.createdMillis, $0.id) < ($1.createdMillis, $1.id) }
        }
    }

    public func batchesWithUpstreamID(limit: Int) throws(LedgerError) -> [BatchRecord] {
        try selectBatches(
            "WHERE upstream_batch_id IS NOT NULL ORDER BY created DESC, id DESC LIMIT ?",
            [.integer(Int64(max(0, limit)))])
    }

    public func submittedTasks(inBatch batchID: String) throws(LedgerError) -> [DeferredTask] {
        try select("WHERE state = 'submitted' AND batch_id = ? ORDER BY created, id", [.text(batchID)])
    }

    /// Due callbacks this replica takes: each is claimed (its next try pushed a lease ahead, `SKIP LOCKED`) so no
    /// other replica delivers it too; `recordCallback` then sets the real outcome.
    public func dueCallbacks(nowMillis: Int64, limit: Int) throws(LedgerError) -> [DeferredTask] {
        try heartbeat()
        return try session.transaction { () throws(LedgerError) -> [DeferredTask] in
            let rows = try session.query(
                """
                UPDATE tasks SET callback_next = ? WHERE id IN (SELECT id FROM tasks
                    WHERE callback_state = 'pending' AND callback_next <= ? ORDER BY callback_next, id LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(TaskRows.taskColumns)
                """,
                [.integer(nowMillis + leaseMillis), .integer(nowMillis), .integer(Int64(max(0, limit)))])
            // The order they were due in (the claim moved callback_next; the attempts did not change).
            return rows.map { TaskRows.task($0) }.sorted { $0.id < $1.id }
        }
    }

    public func complete(
        taskID: String, batchID: String, state: DeferredTask.State, resultJSON: String?, error: String?,
        costNano: Int64?, usage: [UsageRecord]
    ) throws(LedgerError) -> Bool {
        guard state == .succeeded || state == .failed else {
            throw LedgerError(code: .invalidInput, message: "complete() stores succeeded or failed, not \(state)")
        }
        let now = clock.nowMillis()
        return try session.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
            () throws(LedgerError) -> Bool in
            let changed = try session.execute(
                """
                UPDATE tasks SET state = ?, result_json = ?, error = ?, cost_nano = ?, updated = ?,
                    \(Self.callbackDueSQL)
                WHERE id = ? AND batch_id = ? AND state = 'submitted'
                """,
                [
                    .text(state.rawValue), .value(resultJSON), .value(error), .value(costNano), .integer(now),
                    .integer(now), .text(taskID), .text(batchID),
                ])
            guard changed == 1 else { return false }
            try PostgresUsageRows.insert(usage, session: session)
            return true
        }
    }

    public func requeue(taskID: String, batchID: String, error: String?, refund: Bool, usage: [UsageRecord])
        throws(LedgerError) -> Bool
    {
        let now = clock.nowMillis()
        return try session.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
            () throws(LedgerError) -> Bool in
            let changed = try session.execute(
                """
                UPDATE tasks SET state = 'pending', batch_id = NULL, custom_id = NULL, error = ?, updated = ?,
                    attempts = CASE WHEN ? = 1 THEN GREATEST(0, attempts - 1) ELSE attempts END
                WHERE id = ? AND batch_id = ? AND state = 'submitted'
                """, [.value(error), .integer(now), .integer(refund ? 1 : 0), .text(taskID), .text(batchID)])
            guard changed == 1 else { return false }
            try PostgresUsageRows.insert(usage, session: session)
            return true
        }
    }

    public func releaseBatch(id: String, state: BatchRecord.State) throws(LedgerError) -> Int {
        let now = clock.nowMillis()
        return try session.transaction { () throws(LedgerError) -> Int in
            let moved = try session.execute(
                """
                UPDATE tasks SET state = 'pending', batch_id = NULL, custom_id = NULL, updated = ?,
                    attempts = GREATEST(0, attempts - 1)
                WHERE batch_id = ? AND state = 'submitted'
                """, [.integer(now), .text(id)])
            try session.execute(
                "UPDATE batches SET state = ?, ended = ? WHERE id = ?", [.text(state.rawValue), .integer(now), .text(id)])
            return moved
        }
    }

    public func recordCallback(taskID: String, state: DeferredTask.CallbackState, attempts: Int, nextMillis: Int64?)
        throws(LedgerError)
    {
        try session.execute(
            "UPDATE tasks SET callback_state = ?, callback_attempts = ?, callback_next = ? WHERE id = ?",
            [.text(state.rawValue), .integer(Int64(attempts)), .value(nextMillis), .text(taskID)])
    }

    public func noteBatch(id: String, note: String?) throws(LedgerError) {
        try session.execute("UPDATE batches SET note = ? WHERE id = ?", [.value(note), .text(id)])
    }
}
