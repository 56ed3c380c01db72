import ArgumentParser
import Foundation
import UsageLedger
import UsageLedgerPostgres

/// `claude-router migrate --from sqlite:PATH --to postgres://…`: moves a single-process ledger to a shared store.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite ledger and its tasks into a PostgreSQL store shared by several replicas.",
        discussion: """
            Copies every usage row (the daily rollup is rebuilt from them), deferred task, batch, client batch and \
            spilled task result, in one transaction: the target ends with all of it or nothing. The target must \
            be empty (a second run is refused). Stop the service first so no row is written to the file meanwhile.

            Examples:
              claude-router migrate --from sqlite:claude-router.sqlite --to postgres://router@db.internal/router
            """)

    @Option(help: ArgumentHelp("The SQLite ledger to copy.", valueName: "sqlite:path"))
    var from: String

    @Option(help: ArgumentHelp("The PostgreSQL store (the password may come from PGPASSWORD).", valueName: "url"))
    var to: String

    func run() async throws {
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard !path.isEmpty, !PostgresURL.isPostgres(path) else {
            throw ValidationError("--from takes sqlite:PATH")
        }
        guard let url = try LedgerStores.postgresURL(to) else {
            throw ValidationError("--to takes postgres://USER@HOST[:PORT]/DATABASE")
        }
        let started = ContinuousClock.now
        do {
            let source = try LedgerExport(path: path)
            let counts = try PostgresImport.copy(from: source, to: url) { rows in
                if rows % 100_000 == 0 { FileHandle.standardError.write(Data("  \(rows) rows…\n".utf8)) }
            }
            let seconds = Double((ContinuousClock.now - started).components.seconds)
            print("copied \(counts) from \(path) to \(url) in \(Int(seconds)) s")
        } catch {
            FileHandle.standardError.write(Data("claude-router migrate: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
