public import RouterCore

/// Answers report queries from a ledger: `ReportReader` (SQLite) and `PostgresReportReader` give the same report for
/// the same rows.
public protocol ReportReaderProtocol: AnyObject {
    /// Runs `query`, from the daily rollup when it can answer exactly and the raw rows otherwise.
    func run(_ query: ReportQuery) throws(LedgerError) -> Report

    /// Runs `query` against the given table; `.rollup` requires `query.canUseRollup`.
    func run(_ query: ReportQuery, source: Report.Source) throws(LedgerError) -> Report

    /// The raw rows in `[sinceMillis, untilMillis)`, oldest first (for exports, reconciliation and `migrate`).
    func usageRows(sinceMillis: Int64?, untilMillis: Int64?) throws(LedgerError) -> [UsageRecord]

    /// Spend per client for `today` and its month, read from the rollup.
    func spendTotals(today: UTCDay) throws(LedgerError) -> SpendTotals
}

extension ReportReader: ReportReaderProtocol {}
