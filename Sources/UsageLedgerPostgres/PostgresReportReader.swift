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
        try ReportSQL.report(query, source: source, dialect: .postgres, in: session)
    }

    public func usageRows(sinceMillis: Int64?, untilMillis: Int64?) throws(LedgerError) -> [UsageRecord] {
        try UsageRows.rows(sinceMillis: sinceMillis, untilMillis: untilMillis, in: session)
    }

    public func spendTotals(today: UTCDay) throws(LedgerError) -> SpendTotals {
        try SpendTotals.load(from: session, today: today, dialect: .postgres)
    }
}
