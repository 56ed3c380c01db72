import RouterCore
import UsageLedger

/// The SQL that stores `UsageRecord`s in PostgreSQL and keeps the daily rollup in step with them: multi-row
/// `INSERT`s (up to `chunk` rows per statement) and one upsert of the summed rollup deltas, keys in a fixed order
/// so replicas writing the same keys at once never deadlock.
enum PostgresUsageRows {
    /// Rows per INSERT statement. Each column travels as one array parameter (`unnest`), so the count is not bound by
    /// PostgreSQL's 65,535 parameters; it bounds the statement's memory on both sides.
    static let chunk = 5_000

    static let columnList = UsageRows.columns.joined(separator: ", ")

    static let aggregateColumns = ReportTotals.columnNames

    /// `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)`: one array parameter per column, `integer[i]`
    /// telling the column's type. The text is the same for every batch of rows, so the server parses a short
    /// statement whatever the batch's size (a multi-row `VALUES` list of 40 parameters per row took most of the
    /// server's time: 10,900 rows/s against 20,000 wanted, docs/ledger.md).
    static func insertSQL(integer: [Bool]) -> String {
        let arrays = integer.enumerated().map { "$\($0.offset + 1)::\($0.element ? "bigint[]" : "text[]")" }
        return "INSERT INTO usage (\(columnList)) SELECT * FROM unnest(\(arrays.joined(separator: ", ")))"
    }

    /// Inserts `rows` and folds them into the rollup. Call inside a transaction.
    static func insert(_ rows: [UsageRecord], session: PostgresSession) throws(LedgerError) {
        guard !rows.isEmpty else { return }
        var start = 0
        var deltas = UsageRows.RollupDeltas()
        while start < rows.count {
            let end = min(rows.count, start + chunk)
            try insertRows(rows[start..<end], session: session, rollup: &deltas)
            start = end
        }
        try apply(deltas, session: session)
    }

    /// Inserts one chunk of rows and adds them to `rollup` (not yet written).
    static func insertRows(
        _ rows: ArraySlice<UsageRecord>, session: PostgresSession, rollup: inout UsageRows.RollupDeltas
    ) throws(LedgerError) {
        let width = UsageRows.columns.count
        // The rows' values column by column; a column is `bigint` when its values are integers (no integer column
        // is ever NULL) and `text` otherwise.
        var sink = ColumnSink(width: width)
        for record in rows {
            sink.column = 0
            UsageRows.write(record, to: &sink)
            let day = UTCDay(containingMillis: record.timestampMillis).number
            let key = UsageRows.RollupKey(
                day: day, client: record.client, taskType: record.taskType, model: record.modelUsed,
                mode: record.mode.rawValue)
            rollup[key, default: ReportTotals()].add(record)
        }
        let (integers, texts) = (sink.integers, sink.texts)
        let integer = integers.map { !$0.isEmpty }
        for column in 0..<width where !integers[column].isEmpty && !texts[column].isEmpty {
            throw LedgerError(
                code: .database, message: "The usage column \(UsageRows.columns[column]) mixes integers and text")
        }
        let columns = (0..<width).map { integer[$0] ? SQLArray.integers(integers[$0]) : .texts(texts[$0]) }
        try session.execute(insertSQL(integer: integer), arrays: columns)
    }

    /// Applies summed rollup deltas in one upsert, keys sorted. Call inside the transaction that inserted the rows.
    static func apply(_ rollup: UsageRows.RollupDeltas, session: PostgresSession) throws(LedgerError) {
        guard !rollup.isEmpty else { return }
        let keys = rollup.keys.sorted {
            ($0.day, $0.client, $0.taskType, $0.model, $0.mode) < ($1.day, $1.client, $1.taskType, $1.model, $1.mode)
        }
        let width = 5 + aggregateColumns.count
        let updates = aggregateColumns.map { "\($0) = daily_rollup.\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
        // At most 2,000 keys (44,000 parameters) per statement, under PostgreSQL's 65,535.
        var start = 0
        while start < keys.count {
            let end = min(keys.count, start + 2_000)
            var values: [String] = []
            var parameters: [SQLValue] = []
            for (index, key) in keys[start..<end].enumerated() {
                values.append("(" + (1...width).map { "$\(index * width + $0)" }.joined(separator: ", ") + ")")
                parameters += [
                    .integer(key.day), .text(key.client), .text(key.taskType), .text(key.model), .text(key.mode),
                ]
                parameters += rollup[key]!.integerColumns.map { .integer($0) }
            }
            try session.execute(
                "INSERT INTO daily_rollup (day, client, task_type, model, mode, \(aggregateColumns.joined(separator: ", ")))"
                    + " VALUES \(values.joined(separator: ", "))"
                    + " ON CONFLICT (day, client, task_type, model, mode) DO UPDATE SET \(updates)", parameters)
            start = end
        }
    }

    /// Appends each column's value to that column's array.
    private struct ColumnSink: UsageColumnSink {
        var integers: [[Int64]]
        var texts: [[String?]]
        var column = 0

        init(width: Int) {
            integers = Array(repeating: [], count: width)
            texts = Array(repeating: [], count: width)
        }

        mutating func text(_ value: String?) {
            texts[column].append(value)
            column += 1
        }

        mutating func integer(_ value: Int64) {
            integers[column].append(value)
            column += 1
        }
    }
}
