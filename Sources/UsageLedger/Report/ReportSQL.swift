/// The SQL of a report query, written once for both stores; a `SQLDialect` says how each counts and sums.
///
/// Selects the group-by keys, then the 17 sums in `ReportTotals.integerColumns` order, from the daily rollup
/// (`.rollup`, which requires `query.canUseRollup`) or the raw rows (`.raw`, requests only, attempts counted apart).
package struct ReportSQL {
    /// The statement, with `?` placeholders.
    package let sql: String
    /// The values of the placeholders, in order.
    package let parameters: [SQLValue]
    /// The column of the first sum (the group-by keys come before it).
    package let firstSum: Int

    /// The SQL of `query` against `source`, in `dialect`.
    package init(_ query: ReportQuery, source: Report.Source, dialect: SQLDialect) {
        precondition(source == .raw || query.canUseRollup, "the rollup cannot answer this query")
        let rollup = source == .rollup
        let keys = query.groupBy.map { rollup ? $0.rollupExpression! : $0.rawExpression }
        let sums: [String]
        if rollup {
            sums = ReportTotals.columnNames.map(dialect.sum)
        } else {
            let request = "kind = 'request'"
            sums =
                [
                    dialect.count(request),
                    dialect.count("\(request) AND (error_type IS NOT NULL OR status >= 400)"),
                    dialect.sum("CASE WHEN \(request) THEN retries ELSE 0 END"),
                    dialect.count("kind = 'attempt'"),
                ]
                // The raw columns share the rollup's names from the tokens on.
                + ReportTotals.columnNames.dropFirst(4).map {
                    dialect.sum("CASE WHEN \(request) THEN \($0) ELSE 0 END")
                }
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
        self.sql = sql
        self.parameters = parameters
        self.firstSum = keys.count
    }

    /// Runs `query` against `source` on `reader`, in `dialect`.
    package static func report(
        _ query: ReportQuery, source: Report.Source, dialect: SQLDialect, in reader: some SQLReader
    ) throws(LedgerError) -> Report {
        let plan = ReportSQL(query, source: source, dialect: dialect)
        let rows = try reader.rows(plan.sql, plan.parameters) { plan.reportRow($0, query: query) }
        return Report(query: query, rows: rows.compactMap { $0 }, source: source)
    }

    /// The report row of one result row, or nil for the one row of NULL sums an ungrouped query over no rows
    /// returns.
    package func reportRow(_ row: some SQLRow, query: ReportQuery) -> Report.Row? {
        if firstSum == 0 && row.optionalInt64(firstSum) == nil { return nil }
        let labels = query.groupBy.enumerated().map { column, dimension in
            switch dimension {
            case .day: UTCDay(number: row.int64(column)).description
            case .hour: UTCDay.hourLabel(row.int64(column))
            default: row.text(column)
            }
        }
        return Report.Row(labels: labels, totals: ReportTotals(row, from: firstSum))
    }
}
