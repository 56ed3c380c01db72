import Dispatch
public import UsageLedger

/// Where `/dashboard` reads today's figures: report queries over the ledger.
public protocol UsageReports: Sendable {
    /// Runs `query` against the ledger (committed rows only).
    func run(_ query: ReportQuery) async throws -> Report
}

/// Report queries on a SQLite ledger file (or any store's report reader), each on a fresh read-only connection on a dispatch thread (SQLite blocks,
/// and Swift's cooperative pool must not), one at a time.
public final class SQLiteUsageReports: UsageReports {
    private let open: @Sendable () throws(LedgerError) -> any ReportReaderProtocol
    private let worker = DispatchQueue(label: "claude-router.dashboard-reports")

    /// Reads the ledger at `path`.
    public convenience init(path: String) {
        self.init { () throws(LedgerError) in try ReportReader(path: path) }
    }

    /// Reads the ledger `open` connects to (a shared PostgreSQL store: `PostgresReportReader`), once per query.
    public init(open: @escaping @Sendable () throws(LedgerError) -> any ReportReaderProtocol) {
        self.open = open
    }

    public func run(_ query: ReportQuery) async throws -> Report {
        let open = self.open
        let result: Result<Report, LedgerError> = await withCheckedContinuation { continuation in
            worker.async {
                do throws(LedgerError) {
                    continuation.resume(returning: .success(try open().run(query)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
