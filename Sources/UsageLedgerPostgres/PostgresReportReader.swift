public import Logging
public import RouterCore
public import UsageLedger

/// Answers report queries from the shared PostgreSQL ledger: every replica's rows, the same sums and labels as
/// `ReportReader` gives on SQLite (the daily rollup when it can answer exactly, the raw rows otherwise).
public final class PostgresReportReader: ReportReaderProtocol {
    private let session: PostgresSession

    /// Connects and checks the schema: a database a newer build migrated is refused, an empty one is not a ledger.
    ///
    /// - Throws: `.newerSchema`, `.corrupt` (no claude-router schema), `.database`.
    public init(url: PostgresURL, logger: Logger = Logger(label: "claude-router.postgres")) throws(LedgerError) {
        session = try PostgresSession(url: url, logger: logger)
        let exists = try session.query("SELECT to_regclass('claude_router_schema') IS NOT NULL").first?.bool(0) ?? false
        let version = exists ? try PostgresSchema.readVersion(session) : 0
        try PostgresSchema.checkVersion(version, url: url)
        if version == 0 {
            throw LedgerError(
                code: .corrupt,
                message: "\(url) has no claude-router ledger yet: start `claude-router serve --db` on it first")
        }
    }

    deinit { session.close() }

    public func run(_ query: ReportQuery) throws(LedgerError) -> Report {
        try run(query, source: query.canUseRollup ? .rollup : .raw)
    }

    public func run(_ query: ReportQuery, source: Report.Source) throws(LedgerError) -> Report {
        precondition(source == .raw || query.canUseRollup, "the rollup cannot answer this query")
        let rollup = source == .rollup
        let keys = query.groupBy.map { rollup ? $0.rollupExpression! : $0.rawExpression }
        let sums: [String]
        if rollup {
            sums = PostgresUsageRows.aggregateColumns.map { "SUM(\($0))::BIGINT" }
        } else {
            let request = "kind = 'request'"
            sums =
                [
                    "SUM(CASE WHEN \(request) THEN 1 ELSE 0 END)::BIGINT",
                    "SUM(CASE WHEN \(request) AND (error_type IS NOT NULL OR status >= 400) THEN 1 ELSE 0 END)::BIGINT",
                    "SUM(CASE WHEN \(request) THEN retries ELSE 0 END)::BIGINT",
                    "SUM(CASE WHEN kind = 'attempt' THEN 1 ELSE 0 END)::BIGINT",
                ]
                + PostgresUsageRows.aggregateColumns.dropFirst(4).map {
                    "SUM(CASE WHEN \(request) THEN \(rawColumn($0)) ELSE 0 END)::BIGINT"
                }
        }
        var conditions: [String] = []
        var parameters: [SQLParameter] = []
        let timeColumn = rollup ? "day" : "ts"
        let scale = rollup ? UTCDay.millis : 1
        if let since = query.sinceMillis {
            conditions.append("\(timeColumn) >= ?")
            parameters.append(.integer(since / scale))
        }
        if let until = query.untilMillis {
            conditions.append("\(timeColumn) < ?")
            parameters.append(.integer(until / scale))
        }
        if let client = query.client {
            conditions.append("client = ?")
            parameters.append(.text(client))
        }
        var sql = "SELECT \((keys + sums).joined(separator: ", ")) FROM \(rollup ? "daily_rollup" : "usage")"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if !keys.isEmpty {
            let positions = (1...keys.count).map(String.init).joined(separator: ", ")
            sql += " GROUP BY \(positions) ORDER BY \(positions)"
        }
        var rows: [Report.Row] = []
        let first = keys.count
        for row in try session.query(sql, parameters) {
            // An ungrouped query over no rows still returns one row of NULL sums: leave it out.
            if keys.isEmpty && row.optionalInt64(first) == nil { continue }
            let totals = ReportTotals(columns: (first..<(first + 17)).map { row.int64($0) })
            let labels = query.groupBy.enumerated().map { index, dimension in
                switch dimension {
                case .day: return UTCDay(number: row.int64(index)).description
                case .hour: return UTCDay.hourLabel(row.int64(index))
                default: return row.text(index)
                }
            }
            rows.append(Report.Row(labels: labels, totals: totals))
        }
        return Report(query: query, rows: rows, source: source)
    }

    /// The raw column a rollup aggregate sums (`requests`, `errors` … have none; the rest share the name, save
    /// the money ones).
    private func rawColumn(_ aggregate: String) -> String { aggregate }

    public func usageRows(sinceMillis: Int64?, untilMillis: Int64?) throws(LedgerError) -> [UsageRecord] {
        try session.query(
            PostgresUsageRows.selectSQL + " WHERE ts >= ? AND ts < ? ORDER BY ts, id",
            [.integer(sinceMillis ?? Int64.min), .integer(untilMillis ?? Int64.max)]
        ).map(PostgresUsageRows.read)
    }

    public func spendTotals(today: UTCDay) throws(LedgerError) -> SpendTotals {
        try PostgresLedger.loadTotals(session, today: today)
    }
}
