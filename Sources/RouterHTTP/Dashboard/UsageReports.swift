import Dispatch
public import UsageLedger

/// Where `/dashboard` reads today's figures: report queries over the ledger.
public protocol UsageReports: Sendable {
    /// Runs `query` against the ledger (committed rows only).
    func run(_ query: ReportQuery) async throws -> Report
}

/// Report queries on a SQLite ledger file, each on a fresh read-only connection on a dispatch thread (SQLite blocks,
/// and Swift's cooperative pool must not), one at a time.
public final class SQLiteUsageReports: UsageReports {
    let path: String
    private let worker = DispatchQueue(label: "claude-router.dashboard-reports")

    /// Reads the ledger at `path`.
    public init(path: String) {
        self.path = path
    }

    public func run(_ query: ReportQuery) async throws -> Report {
        let path = self.path
        let result: Result<Report, LedgerError> = await withCheckedContinuation { continuation in
            worker.async {
                do throws(LedgerError) {
                    continuation.resume(returning: .success(try ReportReader(path: path).run(query)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
