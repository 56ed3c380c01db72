public import Logging
public import UsageLedger

/// Copies a SQLite ledger (usage rows with their rollup, tasks, batches, client batches, spilled results) into a
/// PostgreSQL store, for `claude-router migrate`. One transaction: the target ends with everything or nothing, so
/// a failed copy can simply be run again. A target that already holds rows or tasks is refused (no copy twice).
public enum PostgresImport {
    /// What was copied.
    public struct Counts: Sendable, Hashable, CustomStringConvertible {
        public var usageRows = 0
        public var tasks = 0
        public var batches = 0
        public var clientBatches = 0
        public var spilledResults = 0
        public var budgetAlerts = 0

        public var description: String {
            "\(usageRows) usage rows, \(tasks) tasks, \(batches) batches, \(clientBatches) client batches,"
                + " \(spilledResults) spilled results, \(budgetAlerts) budget alerts"
        }
    }

    /// Copies everything `source` holds into the store at `url` (migrated first, under the advisory lock).
    ///
    /// - Parameter progress: told the number of usage rows copied so far, after each chunk.
    /// - Throws: `.invalidInput` when the target is not empty; storage errors of either side.
    public static func copy(
        from source: LedgerExport, to url: PostgresURL, logger: Logger = Logger(label: "claude-router.migrate"),
        progress: (Int) -> Void = { _ in }
    ) throws(LedgerError) -> Counts {
        let session = try PostgresSession(url: url, logger: logger)
        defer { session.close() }
        try PostgresSchema.migrate(session)
        let used = try session.query("SELECT (SELECT COUNT(*) FROM usage) + (SELECT COUNT(*) FROM tasks)").first?.int(0)
        guard used == 0 else {
            throw LedgerError(
                code: .invalidInput,
                message: "\(url) already holds usage rows or tasks: migrate copies into an empty store only")
        }
        var counts = Counts()
        try session.transaction { () throws(LedgerError) in
            var after: Int64 = 0
            while true {
                let page = try source.usageRows(afterID: after, limit: 10_000)
                guard let last = page.last else { break }
                try PostgresUsageRows.insert(page.map(\.row), session: session)
                counts.usageRows += page.count
                after = last.id
                progress(counts.usageRows)
            }
            for batch in try source.batches() {
                try session.execute(
                    """
                    INSERT INTO batches (id, upstream_batch_id, state, created, submitted, ended, task_count, note)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(batch.id), .value(batch.upstreamBatchID), .text(batch.state.rawValue),
                        .integer(batch.createdMillis), .value(batch.submittedMillis), .value(batch.endedMillis),
                        .integer(Int64(batch.taskCount)), .value(batch.note),
                    ])
                counts.batches += 1
            }
            for task in try source.tasks() {
                try PostgresTaskQueue.insert(task, session: session)
                counts.tasks += 1
            }
            for exported in try source.clientBatches() {
                let batch = exported.batch
                try session.execute(
                    """
                    INSERT INTO client_batches (id, client, upstream_batch_id, created, request_count, headers, deleted)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(batch.id), .text(batch.client), .text(batch.upstreamBatchID), .integer(batch.createdMillis),
                        .integer(Int64(batch.requestCount)), .text(batch.headers), .integer(exported.deleted ? 1 : 0),
                    ])
                for item in exported.items {
                    try session.execute(
                        "INSERT INTO client_batch_items (batch_id, custom_id, meta_json, recorded) VALUES (?, ?, ?, ?)",
                        [.text(batch.id), .text(item.customID), .text(item.metaJSON), .integer(item.recorded ? 1 : 0)])
                }
                counts.clientBatches += 1
            }
            for result in try source.spilledResults() {
                try session.execute(
                    "INSERT INTO task_results (id, client, created, body) VALUES (?, ?, ?, ?)",
                    [.text(result.id), .text(result.client), .integer(result.createdMillis), .text(result.body)])
                counts.spilledResults += 1
            }
            for alert in try source.budgetAlerts() {
                try session.execute(
                    """
                    INSERT INTO budget_alerts (id, client, task_type, period, period_start, level, created, body, state,
                        attempts, next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(alert.id), .text(alert.client), .text(alert.taskType), .text(alert.period),
                        .integer(alert.periodStartDay), .text(alert.level), .integer(alert.createdMillis),
                        .text(alert.body), .text(alert.state.rawValue), .integer(Int64(alert.attempts)),
                        .value(alert.nextAttemptMillis),
                    ])
                counts.budgetAlerts += 1
            }
        }
        return counts
    }
}
