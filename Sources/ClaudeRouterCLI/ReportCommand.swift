import ArgumentParser
import Foundation
import PolicyYAML
import RouterCore
import UsageLedger

/// `claude-router report`: usage, cost and savings from the ledger database, as a table, CSV, JSON, Markdown or
/// one HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report usage, cost and savings from the ledger.",
        discussion: """
            Reads the SQLite ledger the service writes (read-only, so it can run while the service does).
            Figures reconcile exactly: the total cost is the sum of every request's recorded cost.

            Times are UTC. --since/--until take a date (2026-11-01; as --until the whole day is included),
            a time (2026-11-01T12:00Z), 'today', or a span back from now (7d, 24h, 30m).
            A day-aligned range without --by hour is answered from the daily rollup (fast on
            millions of rows); anything else from the raw rows.

            --cache shows prompt caching per task type (add --by model or --by client to split further): tokens
            read and written, the hit ratio, and what caching saved; a negative saving is a loss, cache writes
            that were not read back.

            Budgets come from the policy (--policies DIR, default: the embedded default policy, as for serve):
            one line per client with a daily or monthly budget, with its use today and this month (UTC) and its
            status (ok, soft: past the soft limit, over), then one line per task-type budget of the client
            ("dev / architecture": its spend on that task type against the task type's limits).
            --budget-daily/--budget-monthly override a client's limit (never a task type's).

            Examples:
              claude-router report --db ledger.sqlite --since 7d --by model
              claude-router report --db ledger.sqlite --since 30d --cache --by model
              claude-router report --db ledger.sqlite --since 2026-11-01 --until 2026-11-30 --by day,model --format csv
              claude-router report --db ledger.sqlite --since 30d --html report.html
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger: a SQLite file or postgres://USER@HOST/DB (default: CLAUDE_ROUTER_DB).", valueName: "path|url"))
    var db: String?

    @Option(help: ArgumentHelp("Start of the range (inclusive).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("End of the range (exclusive; a date includes its day).", valueName: "time"))
    var until: String?

    @Option(
        name: .customLong("by"),
        help: ArgumentHelp(
            "Group by model, task-type, client, day, hour, mode (comma-separated or repeated).", valueName: "columns"))
    var by: [String] = []

    @Option(help: ArgumentHelp("Only this client's usage.", valueName: "name"))
    var client: String?

    @Option(help: ArgumentHelp("table, csv, json or markdown.", valueName: "format"))
    var format: String = "table"

    @Option(help: ArgumentHelp("Also write a self-contained HTML page with charts to this file.", valueName: "file"))
    var html: String?

    @Flag(help: "Show prompt caching per task type: tokens read and written, hit ratio, money saved or lost.")
    var cache = false

    @Option(
        help: ArgumentHelp(
            "The policy directory whose client budgets the report shows (default: the embedded default policy).",
            valueName: "dir"))
    var policies: String?

    @Option(
        name: .customLong("budget-daily"),
        help: ArgumentHelp(
            "A client's daily budget in USD, overriding the policy's (repeatable).", valueName: "client=usd"))
    var budgetDaily: [String] = []

    @Option(
        name: .customLong("budget-monthly"),
        help: ArgumentHelp("A client's monthly budget in USD (repeatable).", valueName: "client=usd"))
    var budgetMonthly: [String] = []

    @Option(
        help: ArgumentHelp(
            "The time relative ranges and budgets count from (default: the system clock).", valueName: "time",
            visibility: .hidden))
    var now: String?

    func run() async throws {
        let clockNow = SystemClock().nowMillis()
        let nowMillis =
            try now.map { try Self.time(ReportQuery.parseTime($0, nowMillis: clockNow, isUntil: false)) }
            ?? clockNow
        guard let format = ReportFormatter.Format(rawValue: format.lowercased()) else {
            throw ValidationError("unknown --format '\(format)': use table, csv, json or markdown")
        }
        var groupBy = try Self.time(ReportDimension.parseList(by))
        if cache { groupBy = [.taskType] + groupBy.filter { $0 != .taskType } }
        let query = ReportQuery(
            sinceMillis: try since.map {
                try Self.time(ReportQuery.parseTime($0, nowMillis: nowMillis, isUntil: false))
            },
            untilMillis: try until.map {
                try Self.time(ReportQuery.parseTime($0, nowMillis: nowMillis, isUntil: true))
            },
            groupBy: groupBy, client: client)
        if let since = query.sinceMillis, let until = query.untilMillis, since >= until {
            throw ValidationError("--since must be before --until")
        }
        let daily = try Self.budgets(budgetDaily, option: "--budget-daily")
        let monthly = try Self.budgets(budgetMonthly, option: "--budget-monthly")

        let policy = try CommandPolicy.load(policies)

        let reader = try LedgerStores.reader(try LedgerStores.location(db, fallback: nil))
        let report = try reader.run(query)
        let today = UTCDay(containingMillis: nowMillis)
        let budgets = BudgetUse.lines(
            policy: policy, daily: daily, monthly: monthly, client: client,
            totals: try reader.spendTotals(today: today), today: today)
        let formatter = ReportFormatter(view: cache ? .cache : .full)
        print(formatter.render(report, budgets: budgets, as: format), terminator: "")

        if let html {
            var byDay = query
            byDay.groupBy = [.day, .model]
            var byTask = query
            byTask.groupBy = [.taskType]
            let page = HTMLReport(
                summary: report, byDayAndModel: try reader.run(byDay), byTaskType: try reader.run(byTask),
                budgets: budgets)
            do {
                try Data(page.render().utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                throw ValidationError("cannot write --html file '\(html)': \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
        }
    }

    private static func time<T>(_ result: Result<T, ReportQueryError>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let error): throw ValidationError(error.message)
        }
    }

    /// Parses `client=usd` pairs.
    private static func budgets(_ values: [String], option: String) throws -> [String: Money] {
        var budgets: [String: Money] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let amount = Money(dollars: String(parts[1])), amount.nanoUSD >= 0 else {
                throw ValidationError("\(option) takes client=USD, e.g. \(option) alice=25, not '\(value)'")
            }
            budgets[String(parts[0])] = amount
        }
        return budgets
    }
}
