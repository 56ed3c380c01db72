import Foundation
public import Logging
public import RouterCore
public import UsageLedger

/// The durable task queue on PostgreSQL, shared by every replica: the same contract as `TaskQueue` (see there for
/// each method), and what several schedulers on one database need:
///
/// - **Each task packed once.** `markSubmitted` claims the tasks with `FOR UPDATE SKIP LOCKED` and refuses the whole
///   batch (changing nothing) unless every task is still pending and not being claimed by another replica.
/// - **Work has an owner.** A batch is owned by the replica that packed it, a synchronous run by the one that started
///   it, a callback delivery by the one that took it. Each replica renews its lease in `replicas` while it works;
///   the scheduler's views (`batches(in:)`, `releaseRuns`, `dueCallbacks`) show a replica its own work and work
///   whose owner's lease expired, which it takes over. So a killed replica's batches are polled, its runs re-queued
///   and its callbacks retried by another after `leaseMillis`, and no live replica's work is touched.
/// - **Any replica answers.** `task(id:)`, client batches and spilled results are read from the shared tables.
///
/// Calls block the calling thread on the server's answer: the service makes them on the `TaskStore`'s own thread.
public final class PostgresTaskQueue: TaskQueueProtocol, @unchecked Sendable {
    // `session` serialises callers; `lastBeat` is touched only with the session lock held (inside `heartbeat`).
    private let session: PostgresSession
    private let clock: any RouterClock
    /// This replica's id in `replicas` and in the `owner` columns.
    public let replicaID: String
    /// How long a replica's claim on its work outlives its last heartbeat.
    public let leaseMillis: Int64
    private var lastBeat: Int64 = .min

    /// Connects, migrates the schema (under the advisory lock) and registers this replica.
    ///
    /// - Parameters:
    ///   - replicaID: this replica's id (default: a random one; give each replica a stable one to keep its claims
    ///     across a restart).
    ///   - leaseMillis: how long another replica waits before taking over the work of one that stopped renewing.
    public init(
        url: PostgresURL, clock: any RouterClock = SystemClock(), replicaID: String? = nil,
        leaseMillis: Int64 = 30_000, logger: Logger = Logger(label: "claude-router.postgres")
    ) throws(LedgerError) {
        self.session = try PostgresSession(url: url, logger: logger)
        self.clock = clock
        var rng = SystemRandomNumberGenerator()
        self.replicaID = replicaID ?? "replica-" + String(rng.next() as UInt64, radix: 36)
        self.leaseMillis = max(1_000, leaseMillis)
        try PostgresSchema.migrate(session)
        try heartbeat(force: true)
    }

    /// Closes the connection.
    public func close() { session.close() }

    /// Every replica on the database works on this queue.
    public var sharedByReplicas: Bool { true }

    /// Renews this replica's lease when a third of it has passed (or `force`).
    public func heartbeat(force: Bool = false) throws(LedgerError) {
        let now = clock.nowMillis()
        guard force || now - lastBeat >= leaseMillis / 3 else { return }
        try session.execute(
            """
            INSERT INTO replicas (id, started, lease_until) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until
            """, [.text(replicaID), .integer(now), .integer(now + leaseMillis)])
        lastBeat = now
    }

    /// Gives up this replica's lease at once (a clean shutdown): its unfinished work can be taken over now.
    public func resign() throws(LedgerError) {
        try session.execute("DELETE FROM replicas WHERE id = ?", [.text(replicaID)])
    }

    /// `owner` is this replica, nobody, or a replica whose lease expired; binds two parameters (id, now).
    private static let takeable =
        "(owner IS NULL OR owner = ? OR owner NOT IN (SELECT id FROM replicas WHERE lease_until > ?))"

    private static let callbackDueSQL = """
        callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END,
        callback_next = CASE WHEN callback_url IS NULL THEN NULL ELSE ? END
        """

    // MARK: - Tasks

    public func insert(_ task: DeferredTask) throws(LedgerError) {
        try Self.insert(task, session: session)
    }

    static func insert(_ task: DeferredTask, session: PostgresSession) throws(LedgerError) {
        let changed = try session.execute(
            "INSERT INTO tasks (\(TaskRows.taskColumns)) VALUES (\(TaskRows.marks(22))) ON CONFLICT (id) DO NOTHING",
            TaskRows.values(of: task))
        if changed == 0 {
            throw LedgerError(code: .invalidInput, message: "A task with id '\(task.id)' already exists")
        }
    }

    public func task(id: String) throws(LedgerError) -> DeferredTask? {
        try TaskRows.task(id: id, in: session)
    }

    public func pendingTasks(limit: Int) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.pendingTasks(limit: limit, in: session)
    }

    public func unfinishedCount(client: String) throws(LedgerError) -> Int {
        try TaskRows.unfinishedCount(client: client, in: session)
    }

    public func unfinishedTasks() throws(LedgerError) -> [DeferredTask] {
        try TaskRows.unfinishedTasks(in: session)
    }

    public func pendingCount(client: String) throws(LedgerError) -> Int {
        try TaskRows.pendingCount(client: client, in: session)
    }

    public func storeResult(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?)
        throws(LedgerError)
    {
        guard state != .submitted else {
            throw LedgerError(code: .invalidInput, message: "Use markSubmitted to submit task '\(taskID)'")
        }
        let now = clock.nowMillis()
        let changed = try session.execute(
            """
            UPDATE tasks SET state = ?, result_json = ?, error = ?, updated = ?,
                batch_id = CASE WHEN ? = 'pending' THEN NULL ELSE batch_id END
            WHERE id = ? AND state IN ('pending', 'submitted')
            """,
            [
                .text(state.rawValue), .value(resultJSON), .value(error), .integer(now), .text(state.rawValue),
                .text(taskID),
            ])
        if changed == 0 {
            throw try exists(taskID)
                ? LedgerError(code: .invalidInput, message: "Task '\(taskID)' is already finished")
                : LedgerError(code: .notFound, message: "No task with id '\(taskID)'")
        }
    }

    public func cancelPending(taskID: String, client: String) throws(LedgerError) -> Bool {
        try session.execute(
            """
            UPDATE tasks SET state = 'canceled', error = 'canceled by the client', updated = ?
            WHERE id = ? AND client = ? AND state = 'pending'
            """, [.integer(clock.nowMillis()), .text(taskID), .text(client)]) == 1
    }

    // MARK: - Batches

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
        guard
            let row = try session.query(
                "SELECT COUNT(*), MIN(created), MIN(deadline) FROM tasks WHERE state = 'pending'"
            ).first
        else { return TaskQueue.PendingSummary(count: 0) }
        return TaskQueue.PendingSummary(
            count: row.int(0), oldestCreatedMillis: row.optionalInt64(1), earliestDeadlineMillis: row.optionalInt64(2))
    }

    public func depth() throws(LedgerError) -> TaskQueue.Depth {
        try heartbeat()
        guard
            let row = try session.query(
                """
                SELECT (SELECT COUNT(*) FROM tasks WHERE state = 'pending'),
                    (SELECT COUNT(*) FROM batches WHERE state IN ('submitting', 'in_progress'))
                """
            ).first
        else { return TaskQueue.Depth(pending: 0, batchesInFlight: 0) }
        return TaskQueue.Depth(pending: row.int(0), batchesInFlight: row.int(1))
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
        return try session.transaction { () throws(LedgerError) -> Bool in
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
        return try session.transaction { () throws(LedgerError) -> Bool in
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

    // MARK: - Grouped packing and synchronous runs

    public func pendingGroups(deadlineNotBefore: Int64?) throws(LedgerError) -> [TaskQueue.PendingSummary] {
        try session.query(
            """
            SELECT headers, COUNT(*), MIN(created), MIN(deadline) FROM tasks
            WHERE state = 'pending' AND (deadline IS NULL OR deadline >= ?)
            GROUP BY headers ORDER BY MIN(created), headers
            """, [.integer(deadlineNotBefore ?? Int64.min)]
        ).map {
            TaskQueue.PendingSummary(
                count: $0.int(1), oldestCreatedMillis: $0.optionalInt64(2), earliestDeadlineMillis: $0.optionalInt64(3),
                headers: $0.text(0))
        }
    }

    public func pendingTasks(limit: Int, headers: String, deadlineNotBefore: Int64?) throws(LedgerError)
        -> [DeferredTask]
    {
        try TaskRows.pendingTasks(limit: limit, headers: headers, deadlineNotBefore: deadlineNotBefore, in: session)
    }

    public func pendingTasks(deadlineBefore: Int64, limit: Int) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.pendingTasks(deadlineBefore: deadlineBefore, limit: limit, in: session)
    }

    public func startRun(taskID: String) throws(LedgerError) -> DeferredTask? {
        let started = try session.execute(
            """
            UPDATE tasks SET state = 'running', batch_id = NULL, custom_id = NULL, attempts = attempts + 1,
                updated = ?, owner = ? WHERE id = ? AND state = 'pending'
            """, [.integer(clock.nowMillis()), .text(replicaID), .text(taskID)])
        return started == 1 ? try task(id: taskID) : nil
    }

    public func finishRun(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?, costNano: Int64?)
        throws(LedgerError) -> Bool
    {
        guard state == .succeeded || state == .failed else {
            throw LedgerError(code: .invalidInput, message: "finishRun() stores succeeded or failed, not \(state)")
        }
        let now = clock.nowMillis()
        return try session.execute(
            """
            UPDATE tasks SET state = ?, result_json = ?, error = ?, cost_nano = ?, updated = ?,
                \(Self.callbackDueSQL)
            WHERE id = ? AND state = 'running'
            """,
            [
                .text(state.rawValue), .value(resultJSON), .value(error), .value(costNano), .integer(now),
                .integer(now), .text(taskID),
            ]) == 1
    }

    public func requeueRun(taskID: String, error: String?) throws(LedgerError) -> Bool {
        try session.execute(
            "UPDATE tasks SET state = 'pending', error = ?, updated = ? WHERE id = ? AND state = 'running'",
            [.value(error), .integer(clock.nowMillis()), .text(taskID)]) == 1
    }

    /// Puts back to pending the runs this replica started and no longer runs, and those of replicas whose lease
    /// expired; another live replica's runs are left alone.
    public func releaseRuns(keeping: Set<String>) throws(LedgerError) -> Int {
        try heartbeat()
        let now = clock.nowMillis()
        let kept = keeping.sorted()
        let notKept = kept.isEmpty ? "" : " AND id NOT IN (\(TaskRows.marks(kept.count)))"
        return try session.execute(
            "UPDATE tasks SET state = 'pending', updated = ?, owner = NULL WHERE state = 'running' AND \(Self.takeable)"
                + notKept, [.integer(now), .text(replicaID), .integer(now)] + kept.map { .text($0) })
    }

    public func failPending(taskID: String, error: String, usage: [UsageRecord]) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try session.transaction { () throws(LedgerError) -> Bool in
            let changed = try session.execute(
                """
                UPDATE tasks SET state = 'failed', error = ?, updated = ?, \(Self.callbackDueSQL)
                WHERE id = ? AND state = 'pending'
                """, [.text(error), .integer(now), .integer(now), .text(taskID)])
            guard changed == 1 else { return false }
            try PostgresUsageRows.insert(usage, session: session)
            return true
        }
    }

    // MARK: - Client batches

    public func insertClientBatch(_ batch: ClientBatch, items: [(customID: String, metaJSON: String)])
        throws(LedgerError)
    {
        try session.transaction { () throws(LedgerError) in
            let changed = try session.execute(
                """
                INSERT INTO client_batches (id, client, upstream_batch_id, created, request_count, headers)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [
                    .text(batch.id), .text(batch.client), .text(batch.upstreamBatchID), .integer(batch.createdMillis),
                    .integer(Int64(batch.requestCount)), .text(batch.headers),
                ])
            if changed != 1 {
                throw LedgerError(code: .invalidInput, message: "Batch '\(batch.id)' is already stored")
            }
            var start = 0
            while start < items.count {
                let end = min(items.count, start + 5_000)
                let slice = items[start..<end]
                try session.execute(
                    "INSERT INTO client_batch_items (batch_id, custom_id, meta_json) VALUES "
                        + Array(repeating: "(?, ?, ?)", count: slice.count).joined(separator: ", "),
                    slice.flatMap { [SQLValue.text(batch.id), .text($0.customID), .text($0.metaJSON)] })
                start = end
            }
        }
    }

    public func clientBatch(id: String, client: String) throws(LedgerError) -> ClientBatch? {
        try TaskRows.clientBatch(id: id, client: client, in: session)
    }

    public func clientBatches(client: String, afterID: String?, beforeID: String?, limit: Int) throws(LedgerError)
        -> [ClientBatch]
    {
        try TaskRows.clientBatchPage(client: client, afterID: afterID, beforeID: beforeID, limit: limit, in: session)
    }

    public func clientBatchUpstreamIDs(limit: Int) throws(LedgerError) -> Set<String> {
        try TaskRows.clientBatchUpstreamIDs(limit: limit, in: session)
    }

    public func deleteClientBatch(id: String, client: String) throws(LedgerError) -> Bool {
        try session.execute(
            "UPDATE client_batches SET deleted = 1 WHERE id = ? AND client = ? AND deleted = 0",
            [.text(id), .text(client)]) == 1
    }

    public func unrecordedItems(batchID: String, customIDs: [String]) throws(LedgerError) -> [String: String] {
        guard !customIDs.isEmpty else { return [:] }
        var items: [String: String] = [:]
        var start = 0
        while start < customIDs.count {
            let end = min(customIDs.count, start + 5_000)
            let slice = customIDs[start..<end]
            for row in try session.query(
                "SELECT custom_id, meta_json FROM client_batch_items WHERE batch_id = ? AND recorded = 0"
                    + " AND custom_id IN (\(TaskRows.marks(slice.count)))", [.text(batchID)] + slice.map { .text($0) })
            {
                items[row.text(0)] = row.text(1)
            }
            start = end
        }
        return items
    }

    public func recordClientBatchResults(batchID: String, _ results: [(customID: String, rows: [UsageRecord])])
        throws(LedgerError) -> [UsageRecord]
    {
        try session.transaction { () throws(LedgerError) -> [UsageRecord] in
            var inserted: [UsageRecord] = []
            for (customID, rows) in results {
                let changed = try session.execute(
                    "UPDATE client_batch_items SET recorded = 1 WHERE batch_id = ? AND custom_id = ? AND recorded = 0",
                    [.text(batchID), .text(customID)])
                if changed == 1 { inserted += rows }
            }
            try PostgresUsageRows.insert(inserted, session: session)
            return inserted
        }
    }

    // MARK: - Spilled results

    public func spillResults(
        _ results: [(id: String, client: String, createdMillis: Int64, body: String)], expireBeforeMillis: Int64
    ) throws(LedgerError) {
        try session.transaction { () throws(LedgerError) in
            for result in results {
                try session.execute(
                    """
                    INSERT INTO task_results (id, client, created, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET client = EXCLUDED.client, created = EXCLUDED.created,
                        body = EXCLUDED.body
                    """, [.text(result.id), .text(result.client), .integer(result.createdMillis), .text(result.body)])
            }
            try session.execute("DELETE FROM task_results WHERE created < ?", [.integer(expireBeforeMillis)])
        }
    }

    public func spilledResult(id: String, client: String) throws(LedgerError) -> String? {
        try session.query("SELECT body FROM task_results WHERE id = ? AND client = ?", [.text(id), .text(client)])
            .first?.text(0)
    }

    // MARK: - Metrics and budget alerts

    public func stateCounts() throws(LedgerError) -> TaskQueue.StateCounts {
        var counts = TaskQueue.StateCounts()
        for row in try session.query("SELECT state, COUNT(*) FROM batches GROUP BY state") {
            counts.batches[row.text(0)] = row.int(1)
        }
        for row in try session.query(
            "SELECT state, COUNT(*) FROM tasks WHERE state IN ('pending', 'submitted', 'running') GROUP BY state")
        {
            counts.unfinishedTasks[row.text(0)] = row.int(1)
        }
        return counts
    }

    public func insertBudgetAlert(_ alert: TaskQueue.BudgetAlert) throws(LedgerError) -> Bool {
        try session.execute(
            "INSERT INTO budget_alerts (\(TaskRows.alertColumns)) VALUES (\(TaskRows.marks(11))) ON CONFLICT (id) DO NOTHING",
            [
                .text(alert.id), .text(alert.client), .text(alert.taskType), .text(alert.period),
                .integer(alert.periodStartDay), .text(alert.level), .integer(alert.createdMillis), .text(alert.body),
                .text(alert.state.rawValue), .integer(Int64(alert.attempts)), .value(alert.nextAttemptMillis),
            ]) > 0
    }

    public func budgetAlertIDs(periodStartFrom fromDay: Int64) throws(LedgerError) -> Set<String> {
        Set(try session.query("SELECT id FROM budget_alerts WHERE period_start >= ?", [.integer(fromDay)]).map {
            $0.text(0)
        })
    }

    /// Claims the due alerts: their next attempt moves a lease ahead, so no other replica takes them while this one
    /// delivers; if this replica dies, they are due again when the lease has passed.
    public func dueBudgetAlerts(nowMillis: Int64, limit: Int) throws(LedgerError) -> [TaskQueue.BudgetAlert] {
        try session.transaction { () throws(LedgerError) in
            let rows = try session.query(
                """
                SELECT \(TaskRows.alertColumns) FROM budget_alerts WHERE state = 'pending' AND next_attempt <= ?
                ORDER BY next_attempt, created, CASE level WHEN 'soft' THEN 0 ELSE 1 END, id LIMIT ?
                FOR UPDATE SKIP LOCKED
                """, [.integer(nowMillis), .integer(Int64(max(0, limit)))])
            let alerts = rows.map { TaskRows.alert($0) }
            if !alerts.isEmpty {
                try session.execute(
                    "UPDATE budget_alerts SET next_attempt = ? WHERE id IN (\(TaskRows.marks(alerts.count)))",
                    [.integer(nowMillis + leaseMillis)] + alerts.map { .text($0.id) })
            }
            return alerts
        }
    }

    public func budgetAlert(id: String) throws(LedgerError) -> TaskQueue.BudgetAlert? {
        try TaskRows.alerts("WHERE id = ?", [.text(id)], in: session).first
    }

    public func recordBudgetAlert(
        id: String, state: TaskQueue.BudgetAlert.State, attempts: Int, nextMillis: Int64?
    ) throws(LedgerError) {
        try session.execute(
            "UPDATE budget_alerts SET state = ?, attempts = ?, next_attempt = ? WHERE id = ?",
            [.text(state.rawValue), .integer(Int64(attempts)), .value(nextMillis), .text(id)])
    }

    // MARK: - Helpers

    private func select(_ tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.tasks(tail, parameters, in: session)
    }

    private func selectBatches(_ tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [BatchRecord] {
        try TaskRows.batches(tail, parameters, in: session)
    }

    private func exists(_ id: String) throws(LedgerError) -> Bool {
        !(try session.query("SELECT 1 FROM tasks WHERE id = ?", [.text(id)]).isEmpty)
    }
}
