import Foundation
import RouterCore
import UsageLedger
import UsageLedgerPostgres

/// Measures the ledger: batched write rate, report time on millions of rows, and what a kill -9 loses.
///
///     LedgerBench write  [rows] [db]        rows/s through Ledger.record (batched, 100 ms interval)
///     LedgerBench report [rows] [db]        fills a database (60 days) if needed, times reports
///     LedgerBench crash  [db]               SIGKILLs a writing child process, checks what survived
///     LedgerBench pg-write  URL [rows]      rows/s through PostgresLedger.record into a fresh database
///     LedgerBench pg-report URL [rows]      fills (server-side, if empty) and times a month's report
@main
enum LedgerBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let mode = arguments.count > 1 ? arguments[1] : "write"
        switch mode {
        case "write":
            let rows = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
            let path = arguments.count > 3 ? arguments[3] : "/tmp/ledger-bench-write.sqlite"
            try await write(rows: rows, path: path)
        case "report":
            let rows = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
            let path = arguments.count > 3 ? arguments[3] : "/tmp/ledger-bench-\(rows).sqlite"
            try await report(rows: rows, path: path)
        case "crash":
            try await crash(path: arguments.count > 2 ? arguments[2] : "/tmp/ledger-bench-crash.sqlite")
        case "pg-write":
            try await pgWrite(url: try PostgresURL(arguments[2]), rows: arguments.count > 3 ? Int(arguments[3]) ?? 500_000 : 500_000)
        case "pg-report":
            try pgReport(url: try PostgresURL(arguments[2]), rows: arguments.count > 3 ? Int(arguments[3]) ?? 10_000_000 : 10_000_000)
        case "crash-child":
            try await crashChild(path: arguments[2])
        default:
            print("usage: LedgerBench write|report|crash [rows] [db]")
        }
    }

    /// 2026-10-01T00:00:00Z.
    static let start = UTCDay(year: 2026, month: 10, day: 1)!.startMillis

    /// A realistic row: ~60 days of traffic, 5 clients, 6 task types, 3 models, 3 modes.
    static func row(_ index: Int, of total: Int) -> UsageRecord {
        let clients = ["web", "batch-etl", "support-bot", "ide", "research"]
        let tasks = ["chat", "summarize", "code", "extract", "classify", "translate"]
        let models = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-6"]
        let modes: [UsageRecord.Mode] = [.sync, .stream, .batch]
        let ts = start + Int64(index) * (60 * UTCDay.millis) / Int64(max(total, 1))
        let cost = Int64(1_000 + (index * 7919) % 4_000_000)
        return UsageRecord(
            timestampMillis: ts, requestID: "req-\(index)", upstreamRequestID: "req_011C\(index)",
            client: clients[index % 5], taskType: tasks[(index / 5) % 6], confidenceMillis: 900,
            classifierReason: "rule", modelRequested: "auto", modelUsed: models[(index / 3) % 3], tier: "haiku",
            mode: modes[index % 3], status: index % 97 == 0 ? 529 : 200,
            errorType: index % 97 == 0 ? "overloaded_error" : nil,
            usage: TokenUsage(input: 1200, output: 300, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 4000),
            cost: Money(nanoUSD: cost), baselineCost: Money(nanoUSD: cost * 3),
            savedByRouting: Money(nanoUSD: cost), savedByCaching: Money(nanoUSD: cost / 2),
            savedByBatching: Money(nanoUSD: cost - cost / 2), priceVersion: "claude-haiku-4-5@2026-02-17",
            policyHash: "sha256:0f3a", latencyMillis: 420, upstreamLatencyMillis: 400, queueWaitMillis: 0,
            retries: index % 97 == 0 ? 1 : 0, cachePlan: "system:5m", deferral: "sync")
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (s, atto) = (ContinuousClock.now - start).components
        return Double(s) + Double(atto) / 1e18
    }

    /// User + system CPU seconds of this process (all threads): the steady figure on a shared machine.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func write(rows: Int, path: String) async throws {
        removeDatabase(path)
        let ledger = try Ledger(path: path)
        let prepared = (0..<rows).map { row($0, of: rows) }
        let begin = ContinuousClock.now
        let cpuBegin = cpuSeconds()
        for row in prepared { await ledger.record(row) }
        try await ledger.close()
        let elapsed = seconds(since: begin)
        let cpu = cpuSeconds() - cpuBegin
        print(
            "write: \(rows) rows in \(String(format: "%.2f", elapsed)) s wall = \(Int(Double(rows) / elapsed)) rows/s;"
                + " \(String(format: "%.2f", cpu)) s CPU = \(Int(Double(rows) / cpu)) rows per CPU-second"
                + " (record + batched commit + rollup, WAL, synchronous=NORMAL)")
    }

    static func report(rows: Int, path: String) async throws {
        if !FileManager.default.fileExists(atPath: path) {
            let ledger = try Ledger(path: path, configuration: LedgerConfiguration(queueCapacity: 50_000))
            let begin = ContinuousClock.now
            var index = 0
            while index < rows {
                await ledger.record(row(index, of: rows))
                index += 1
            }
            try await ledger.close()
            print("filled \(rows) rows in \(String(format: "%.1f", seconds(since: begin))) s")
        }
        let reader = try ReportReader(path: path)
        let november = UTCDay(year: 2026, month: 11, day: 1)!
        let month = ReportQuery(
            sinceMillis: november.startMillis, untilMillis: november.firstOfNextMonth.startMillis,
            groupBy: [.model, .day])
        for (name, query, source) in [
            ("month by model,day (rollup)", month, Report.Source.rollup),
            ("month by model,day (raw rows)", month, .raw),
            ("all time by client (rollup)", ReportQuery(groupBy: [.client]), .rollup),
            (
                "month by hour (raw rows)",
                ReportQuery(sinceMillis: month.sinceMillis, untilMillis: month.untilMillis, groupBy: [.hour]), .raw
            ),
        ] {
            let begin = ContinuousClock.now
            let cpuBegin = cpuSeconds()
            let report = try reader.run(query, source: source)
            let elapsed = seconds(since: begin)
            let cpu = cpuSeconds() - cpuBegin
            print(
                "\(name): \(report.rows.count) groups, \(report.total.requests) requests,"
                    + " cost $\(report.total.cost.exactDollars) in \(String(format: "%.3f", elapsed)) s wall,"
                    + " \(String(format: "%.3f", cpu)) s CPU")
        }
    }

    /// Runs a child that records rows as fast as it can with a 100 ms interval, SIGKILLs it, and checks the file.
    static func crash(path: String) async throws {
        removeDatabase(path)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["crash-child", path]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        // Wait (bounded) for the child to report 200,000 recorded rows, then kill it mid-stream.
        var recorded = 0
        var buffer = Data()
        var lines = 0
        while recorded < 200_000 && lines < 10_000_000 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            while let newline = buffer.firstIndex(of: 10) {
                recorded = Int(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)) ?? recorded
                buffer.removeSubrange(buffer.startIndex...newline)
                lines += 1
            }
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let reader = try ReportReader(path: path)
        let rows = try reader.usageRows()
        let ids = rows.map { Int($0.requestID.dropFirst(4)) ?? -1 }
        let contiguous = ids == Array(0..<ids.count)
        let raw = try reader.run(ReportQuery(groupBy: [.day, .client, .taskType, .model, .mode]), source: .raw)
        let rollup = try reader.run(ReportQuery(groupBy: [.day, .client, .taskType, .model, .mode]), source: .rollup)
        print(
            "crash: child reported >= \(recorded) rows recorded; after SIGKILL the file holds \(rows.count) rows,"
                + " a contiguous prefix: \(contiguous), rollup == raw: \(rollup.rows == raw.rows)")
    }

    static func crashChild(path: String) async throws {
        let ledger = try Ledger(path: path)
        var index = 0
        while true {
            await ledger.record(row(index, of: 1_000_000))
            index += 1
            if index % 1000 == 0 {
                FileHandle.standardOutput.write(Data("\(index)\n".utf8))
            }
        }
    }

    /// One replica's write rate to PostgreSQL: rows recorded as fast as the caller can, committed by the writer with
    /// multi-row INSERTs (1,000 rows per statement) and one rollup upsert per transaction.
    static func pgWrite(url: PostgresURL, rows: Int) async throws {
        let ledger = try PostgresLedger(url: url, configuration: LedgerConfiguration(queueCapacity: 50_000))
        let prepared = (0..<rows).map { row($0, of: rows) }
        let begin = ContinuousClock.now
        let cpuBegin = cpuSeconds()
        for row in prepared { await ledger.record(row) }
        try await ledger.close()
        let elapsed = seconds(since: begin)
        let cpu = cpuSeconds() - cpuBegin
        print(
            "pg-write: \(rows) rows in \(String(format: "%.2f", elapsed)) s wall = \(Int(Double(rows) / elapsed)) rows/s"
                + " in \(ledger.transactionCount) transactions; \(String(format: "%.2f", cpu)) s CPU in this process")
    }

    /// A month's report over `rows` rows (60 days from October 1st): the rollup answers; the raw query is shown too.
    static func pgReport(url: PostgresURL, rows: Int) throws {
        let reader = try PostgresReportReader(url: url)
        let all = try reader.run(ReportQuery(), source: .rollup)
        if all.total.requests + all.total.attempts == 0 {
            print("pg-report: the database is empty: fill it first, e.g. with scripts/pg-fill-ledger.sql")
            return
        }
        let november = UTCDay(year: 2026, month: 11, day: 1)!
        let month = ReportQuery(
            sinceMillis: november.startMillis, untilMillis: november.firstOfNextMonth.startMillis,
            groupBy: [.model, .day])
        for (name, query, source) in [
            ("month by model,day (rollup)", month, Report.Source.rollup),
            ("month by client (rollup)", ReportQuery(
                sinceMillis: month.sinceMillis, untilMillis: month.untilMillis, groupBy: [.client]), .rollup),
            ("month by model,day (raw rows)", month, .raw),
        ] {
            let begin = ContinuousClock.now
            let report = try reader.run(query, source: source)
            print(
                "pg-report \(name): \(report.rows.count) groups, \(report.total.requests) requests,"
                    + " cost $\(report.total.cost.exactDollars) in \(String(format: "%.3f", seconds(since: begin))) s")
        }
        _ = rows
    }
}
