import Foundation
public import RouterCore

/// Answers report queries from a ledger database, opened read-only so a report can run beside the service.
///
/// Uses the daily rollup when the query allows it (`ReportQuery.canUseRollup`) and the raw rows otherwise; both
/// give the same sums for the same range.
public final class ReportReader {
    private let database: Database

    /// Opens the ledger at `path` for reading.
    ///
    /// - Throws: `.cannotOpen` when the file does not exist, `.corrupt` when it is not a ledger, `.newerSchema` when
    ///   a newer build wrote it.
    public init(path: String) throws(LedgerError) {
        if !path.hasPrefix("file:") && !FileManager.default.fileExists(atPath: path) {
            throw LedgerError(
                code: .cannotOpen,
                message: "There is no ledger database at '\(path)': pass the file the service writes"
                    + " (`serve --ledger PATH`)")
        }
        database = try Database(path: path, readOnly: true, create: false)
        let version = try database.pragmaInt("user_version")
        try Schema.checkVersion(version, path: path)
        if version == 0 {
            throw LedgerError(
                code: .corrupt,
                message: "'\(path)' is a SQLite database but not a claude-router ledger (no schema):"
                    + " pass the file the service writes (`serve --ledger PATH`)")
        }
    }

    /// Runs `query`.
    public func run(_ query: ReportQuery) throws(LedgerError) -> Report {
        try run(query, source: query.canUseRollup ? .rollup : .raw)
    }

    /// Runs `query` against the given table; `.rollup` requires `query.canUseRollup`.
    public func run(_ query: ReportQuery, source: Report.Source) throws(LedgerError) -> Report {
        precondition(source == .raw || query.canUseRollup, "the rollup cannot answer this query")
        let rollup = source == .rollup
        let keys = query.groupBy.map { rollup ? $0.rollupExpression! : $0.rawExpression }
        let sums: [String]
        if rollup {
            sums = [
                "requests", "errors", "retries", "attempts", "input_tokens", "output_tokens", "cache_write_5m_tokens",
                "cache_write_1h_tokens", "cache_read_tokens", "cost_nano", "baseline_nano", "saved_routing_nano",
                "saved_caching_nano", "saved_batching_nano", "web_search_requests", "web_search_nano",
                "saved_client_cache_nano",
            ].map { "SUM(\($0))" }
        } else {
            let request = "kind = 'request'"
            sums =
                [
                    "SUM(\(request))",
                    "SUM(\(request) AND (error_type IS NOT NULL OR status >= 400))",
                    "SUM(CASE WHEN \(request) THEN retries ELSE 0 END)",
                    "SUM(kind = 'attempt')",
                ]
                + [
                    "input_tokens", "output_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
                    "cache_read_tokens", "cost_nano", "baseline_nano", "saved_routing_nano", "saved_caching_nano",
                    "saved_batching_nano", "web_search_requests", "web_search_nano", "saved_client_cache_nano",
                ].map { "SUM(CASE WHEN \(request) THEN \($0) ELSE 0 END)" }
        }
        var conditions: [String] = []
        var parameters: [SQLValue] = []
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
        let statement = try database.prepare(sql)
        defer { statement.reset() }
        statement.bind(all: parameters)
        var rows: [Report.Row] = []
        let first = Int32(keys.count)
        while try statement.step() {
            let totals = ReportTotals(statement, from: first)
            // An ungrouped query over no rows still returns one row of NULL sums: leave it out.
            if keys.isEmpty && totals == ReportTotals() && statement.isNull(first) { continue }
            let labels = query.groupBy.enumerated().map { index, dimension in
                let column = Int32(index)
                switch dimension {
                case .day: return UTCDay(number: statement.int64(column)).description
                case .hour: return UTCDay.hourLabel(statement.int64(column))
                default: return statement.text(column)
                }
            }
            rows.append(Report.Row(labels: labels, totals: totals))
        }
        return Report(query: query, rows: rows, source: source)
    }

    /// The raw rows in `[sinceMillis, untilMillis)`, oldest first (for exports and reconciliation).
    public func usageRows(sinceMillis: Int64? = nil, untilMillis: Int64? = nil) throws(LedgerError) -> [UsageRecord] {
        let statement = try database.prepare(
            UsageRows.selectSQL + " WHERE ts >= ? AND ts < ? ORDER BY ts, id")
        defer { statement.reset() }
        statement.bind(sinceMillis ?? Int64.min, at: 1)
        statement.bind(untilMillis ?? Int64.max, at: 2)
        var rows: [UsageRecord] = []
        while try statement.step() { rows.append(UsageRows.read(statement)) }
        return rows
    }

    /// Spend per client for `today` and its month, read from the rollup.
    public func spendTotals(today: UTCDay) throws(LedgerError) -> SpendTotals {
        try SpendTotals.load(from: database, today: today)
    }
}
