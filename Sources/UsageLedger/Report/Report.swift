/// The answer to a `ReportQuery`: one row per group, and the grand total.
public struct Report: Sendable, Hashable {
    /// One group: its labels (one per grouping column, in query order) and its sums.
    public struct Row: Sendable, Hashable {
        /// The group's values, e.g. `["claude-haiku-4-5", "2026-11-03"]`; days as `YYYY-MM-DD`, hours as
        /// `YYYY-MM-DD HH:00` (UTC).
        public var labels: [String]
        /// The group's sums.
        public var totals: ReportTotals

        /// Creates a row.
        public init(labels: [String], totals: ReportTotals) {
            self.labels = labels
            self.totals = totals
        }
    }

    /// Which table answered.
    public enum Source: String, Sendable, Hashable {
        /// The daily rollup (day-aligned range, no hourly grouping).
        case rollup
        /// The raw `usage` rows.
        case raw
    }

    /// The query this report answers.
    public var query: ReportQuery
    /// The groups, ordered by their labels.
    public var rows: [Row]
    /// The sum of all rows, computed exactly from them (so the total always reconciles with the rows).
    public var total: ReportTotals
    /// Which table answered.
    public var source: Source

    /// Creates a report; `total` is the exact sum of `rows`.
    public init(query: ReportQuery, rows: [Row], source: Source) {
        self.query = query
        self.rows = rows
        self.source = source
        self.total = rows.reduce(ReportTotals()) { $0 + $1.totals }
    }
}
