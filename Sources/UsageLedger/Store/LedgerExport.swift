public import RouterCore

/// Reads a whole SQLite ledger, table by table, for `claude-router migrate` (another store imports what it reads).
/// Opened read-only, so it can run beside a stopped or running service.
public final class LedgerExport {
    /// One client-owned batch with its requests.
    public struct ClientBatchExport: Sendable {
        public var batch: ClientBatch
        public var deleted: Bool
        /// `(custom_id, meta_json, recorded)`.
        public var items: [(customID: String, metaJSON: String, recorded: Bool)]
    }

    private let database: Database
    private let reader: ReportReader

    /// Opens the ledger at `path`.
    ///
    /// - Throws: what `ReportReader(path:)` throws (missing file, not a ledger, newer schema).
    public init(path: String) throws(LedgerError) {
        reader = try ReportReader(path: path)
        database = try Database(path: path, readOnly: true, create: false)
    }

    /// Up to `limit` usage rows with an id above `afterID`, in id order, with their ids.
    public func usageRows(afterID: Int64, limit: Int) throws(LedgerError) -> [(id: Int64, row: UsageRecord)] {
        let statement = try database.prepare(
            "SELECT id, \(UsageRows.columns.joined(separator: ", ")) FROM usage WHERE id > ? ORDER BY id LIMIT ?")
        defer { statement.reset() }
        statement.bind(all: [.integer(afterID), .integer(Int64(max(0, limit)))])
        var rows: [(Int64, UsageRecord)] = []
        while try statement.step() {
            rows.append((statement.int64(0), UsageRows.read(StatementRow(statement: statement), offset: 1)))
        }
        return rows
    }

    /// Every task, oldest first.
    public func tasks() throws(LedgerError) -> [DeferredTask] {
        try TaskRows.tasks("ORDER BY created, id", [], in: database)
    }

    /// Every batch the router packed, oldest first.
    public func batches() throws(LedgerError) -> [BatchRecord] {
        try TaskRows.batches("ORDER BY created, id", [], in: database)
    }

    /// Every client-owned batch with its requests.
    public func clientBatches() throws(LedgerError) -> [ClientBatchExport] {
        var batches = try database.rows(
            "SELECT \(TaskRows.clientBatchColumns), deleted FROM client_batches ORDER BY created, id", []
        ) { ClientBatchExport(batch: TaskRows.clientBatch($0), deleted: $0.int64(6) != 0, items: []) }
        let items = try database.prepare(
            "SELECT custom_id, meta_json, recorded FROM client_batch_items WHERE batch_id = ? ORDER BY custom_id")
        for index in batches.indices {
            defer { items.reset() }
            items.bind(all: [.text(batches[index].batch.id)])
            while try items.step() {
                batches[index].items.append((items.text(0), items.text(1), items.int64(2) != 0))
            }
        }
        return batches
    }

    /// Every spilled synchronous task result: `(id, client, created, body)`.
    public func spilledResults() throws(LedgerError) -> [(id: String, client: String, createdMillis: Int64, body: String)] {
        let statement = try database.prepare("SELECT id, client, created, body FROM task_results ORDER BY created, id")
        defer { statement.reset() }
        var results: [(String, String, Int64, String)] = []
        while try statement.step() {
            results.append((statement.text(0), statement.text(1), statement.int64(2), statement.text(3)))
        }
        return results
    }

    /// Every budget alert, oldest first (none in a ledger older than the table).
    public func budgetAlerts() throws(LedgerError) -> [TaskQueue.BudgetAlert] {
        let exists = try database.prepare(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'budget_alerts'")
        defer { exists.reset() }
        guard try exists.step(), exists.int(0) > 0 else { return [] }
        return try TaskRows.alerts("ORDER BY created, id", [], in: database)
    }
}
