/// A value bound to a statement parameter, in either store (SQLite binds it, PostgreSQL sends it).
package enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)

    /// `.text`, or `.null` for nil.
    package static func value(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    /// `.integer`, or `.null` for nil.
    package static func value(_ int: Int64?) -> SQLValue { int.map { .integer($0) } ?? .null }
}

/// How a store writes an aggregate, the one place the two SQL dialects differ in the queries they share.
package struct SQLDialect: Sendable {
    /// The sum of an integer expression.
    package var sum: @Sendable (String) -> String
    /// The number of rows where a condition holds.
    package var count: @Sendable (String) -> String

    /// SQLite: a comparison is already 0 or 1.
    package static let sqlite = SQLDialect(sum: { "SUM(\($0))" }, count: { "SUM(\($0))" })
    /// PostgreSQL: sums of BIGINT are NUMERIC unless cast back, and a boolean is no number.
    package static let postgres = SQLDialect(
        sum: { "SUM(\($0))::BIGINT" }, count: { "SUM(CASE WHEN \($0) THEN 1 ELSE 0 END)::BIGINT" })
}

/// One row of a query result read by column position, in either store (SQLite's statement at a step,
/// PostgreSQL's result row), so that ledger rows, tasks and batches are decoded in one place (`UsageRows`,
/// `TaskRows`) whatever SQL dialect selected them.
package protocol SQLRow {
    /// The text in `column`; "" for NULL.
    func text(_ column: Int) -> String
    /// The text in `column`, or nil for NULL.
    func optionalText(_ column: Int) -> String?
    /// The integer in `column`; 0 for NULL.
    func int64(_ column: Int) -> Int64
    /// The integer in `column`, or nil for NULL.
    func optionalInt64(_ column: Int) -> Int64?
}

extension SQLRow {
    /// The integer in `column` as an `Int`; 0 for NULL.
    package func int(_ column: Int) -> Int { Int(int64(column)) }
}

/// Runs a query and reads its rows, in either store: the task queries both stores ask in the same SQL
/// (`TaskRows`) are written once over it.
package protocol SQLReader {
    /// Runs `sql` (`?` placeholders bound to `parameters` in order) and reads each row with `read`; the row is valid
    /// only during the call.
    func rows<T>(_ sql: String, _ parameters: [SQLValue], _ read: (any SQLRow) -> T) throws(LedgerError) -> [T]
}
