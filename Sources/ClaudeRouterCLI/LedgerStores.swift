import ArgumentParser
import Foundation
import RouterCore
import UsageLedger
import UsageLedgerPostgres

/// Opens the ledger, task queue and report reader `--db` names: a SQLite file (the embedded default) or a shared
/// PostgreSQL database (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`; the password may come from `PGPASSWORD`).
/// Without `--db`, `CLAUDE_ROUTER_DB` is read, then the command's default.
enum LedgerStores {
    /// What `--db` (or `CLAUDE_ROUTER_DB`, or `fallback`) names.
    static func location(_ flag: String?, fallback: String?) throws -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_DB"], !env.isEmpty { return env }
        if let fallback { return fallback }
        throw ValidationError("name the ledger with --db PATH|postgres://… or CLAUDE_ROUTER_DB")
    }

    /// The URL of a PostgreSQL location, nil for a SQLite path.
    static func postgresURL(_ location: String) throws(LedgerError) -> PostgresURL? {
        guard PostgresURL.isPostgres(location) else { return nil }
        return try PostgresURL(location, password: ProcessInfo.processInfo.environment["PGPASSWORD"])
    }

    /// A description safe to log (no password).
    static func display(_ location: String) -> String {
        (try? postgresURL(location))??.description ?? location
    }

    static func ledger(_ location: String, configuration: LedgerConfiguration) throws(LedgerError)
        -> any LedgerProtocol
    {
        if let url = try postgresURL(location) { return try PostgresLedger(url: url, configuration: configuration) }
        return try Ledger(path: location, configuration: configuration)
    }

    /// The task queue in the same store; the usage rows it commits join `accounting`'s spend totals (the ledger's).
    static func taskQueue(
        _ location: String, replicaID: String?, leaseMillis: Int64 = 30_000, accounting: (any UsageAccounting)? = nil
    ) throws(LedgerError) -> any TaskQueueProtocol {
        if let url = try postgresURL(location) {
            return try PostgresTaskQueue(
                url: url, replicaID: replicaID, leaseMillis: leaseMillis, accounting: accounting)
        }
        return try TaskQueue(path: location, accounting: accounting)
    }

    /// The budget holds every replica on a PostgreSQL store shares (as the replica `queue` is); nil on SQLite, where
    /// one process owns the file and its own holds are the whole story.
    static func budgetHolds(_ location: String, queue: any TaskQueueProtocol, ledger: any LedgerProtocol)
        throws(LedgerError) -> (any SharedBudgetHolds)?
    {
        guard let url = try postgresURL(location), let queue = queue as? PostgresTaskQueue else { return nil }
        return try PostgresBudgetHolds(url: url, replicaID: queue.replicaID, durable: { try? await ledger.flush() })
    }

    static func reader(_ location: String) throws(LedgerError) -> any ReportReaderProtocol {
        if let url = try postgresURL(location) { return try PostgresReportReader(url: url) }
        return try ReportReader(path: location)
    }
}
