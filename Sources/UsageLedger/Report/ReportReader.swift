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
        try ReportSQL.report(query, source: source, dialect: .sqlite, in: database)
    }

    /// The raw rows in `[sinceMillis, untilMillis)`, oldest first (for exports and reconciliation).
    public func usageRows(sinceMillis: Int64? = nil, untilMillis: Int64? = nil) throws(LedgerError) -> [UsageRecord] {
        try UsageRows.rows(sinceMillis: sinceMillis, untilMillis: untilMillis, in: database)
    }

    /// Spend per client for `today` and its month, read from the rollup.
    public func spendTotals(today: UTCDay) throws(LedgerError) -> SpendTotals {
        try SpendTotals.load(from: database, today: today, dialect: .sqlite)
    }
}
