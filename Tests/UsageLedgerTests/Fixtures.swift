import Foundation
import RouterCore

@testable import UsageLedger

/// A clock the test sets.
struct FixedClock: RouterClock {
    var millis: Int64
    func nowMillis() -> Int64 { millis }
}

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// SplitMix64: a seeded generator so "random" rows are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Rows {
    /// 2026-11-01T00:00:00Z.
    static let november1 = UTCDay(year: 2026, month: 11, day: 1)!.startMillis

    /// A row with every field set to something distinctive.
    static func full(index: Int = 0) -> UsageRecord {
        UsageRecord(
            kind: .attempt, timestampMillis: november1 + 12_345 + Int64(index), requestID: "req-\(index)", attempt: 2,
            upstreamRequestID: "req_up_\(index)", client: "alice", taskType: "summarize", confidenceMillis: 875,
            classifierReason: "rule: summarize keyword", modelRequested: "auto", modelUsed: "claude-haiku-4-5",
            tier: "haiku", mode: .stream, status: 529, errorType: "overloaded_error",
            usage: TokenUsage(input: 11, output: 22, cacheWrite5m: 33, cacheWrite1h: 44, cacheRead: 55, webSearchRequests: 3),
            usageEstimated: true, cost: Money(nanoUSD: 1_234_567), baselineCost: Money(nanoUSD: 9_876_543),
            savedByRouting: Money(nanoUSD: 111), savedByCaching: Money(nanoUSD: 222),
            savedByBatching: Money(nanoUSD: 333),
            priceVersion: "claude-haiku-4-5@2026-02-17", policyHash: "sha256:abc", latencyMillis: 1500,
            upstreamLatencyMillis: 1400, queueWaitMillis: 7, retries: 3, cachePlan: "system:5m", deferral: "sync",
            savedByClientCache: Money(nanoUSD: 444), webSearchCost: Money(nanoUSD: 30_000_000), inferenceGeo: "us",
            cacheBy: .both)
    }

    /// A simple request row.
    static func request(
        at millis: Int64, client: String = "alice", taskType: String = "chat", model: String = "claude-haiku-4-5",
        mode: UsageRecord.Mode = .sync, cost: Int64 = 1000, baseline: Int64 = 3000, status: Int = 200,
        usage: TokenUsage = TokenUsage(input: 100, output: 50, cacheRead: 300), id: String = UUID().uuidString
    ) -> UsageRecord {
        UsageRecord(
            timestampMillis: millis, requestID: id, client: client, taskType: taskType, modelRequested: "auto",
            modelUsed: model, tier: "haiku", mode: mode, status: status,
            errorType: status >= 400 ? "api_error" : nil, usage: usage, cost: Money(nanoUSD: cost),
            baselineCost: Money(nanoUSD: baseline), savedByRouting: Money(nanoUSD: (baseline - cost) / 2),
            savedByCaching: Money(nanoUSD: (baseline - cost) - (baseline - cost) / 2))
    }

    /// `count` seeded random rows over `days` days from November 1st: several clients, task types, models and
    /// modes, some errors, some retries with their attempt rows.
    static func random(count: Int, days: Int, seed: UInt64) -> [UsageRecord] {
        var random = SeededGenerator(state: seed)
        let clients = ["alice", "bob", "carol"]
        let tasks = ["chat", "summarize", "code", "extract"]
        let models = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-6"]
        var rows: [UsageRecord] = []
        for index in 0..<count {
            let ts = november1 + Int64.random(in: 0..<(Int64(days) * UTCDay.millis), using: &random)
            let retries = Int.random(in: 0..<10, using: &random) == 0 ? Int.random(in: 1...2, using: &random) : 0
            let status = Int.random(in: 0..<20, using: &random) == 0 ? 529 : 200
            let cost = Int64.random(in: 0...5_000_000, using: &random)
            let baseline = cost + Int64.random(in: 0...5_000_000, using: &random)
            var row = UsageRecord(
                timestampMillis: ts, requestID: "r\(index)", client: clients.randomElement(using: &random)!,
                taskType: tasks.randomElement(using: &random)!, modelRequested: "auto",
                modelUsed: models.randomElement(using: &random)!, tier: "haiku",
                mode: UsageRecord.Mode.allCases.randomElement(using: &random)!, status: status,
                errorType: status == 200 ? nil : "overloaded_error",
                usage: TokenUsage(
                    input: .random(in: 0...5000, using: &random), output: .random(in: 0...2000, using: &random),
                    cacheWrite5m: .random(in: 0...1000, using: &random),
                    cacheWrite1h: .random(in: 0...1000, using: &random),
                    cacheRead: .random(in: 0...8000, using: &random)),
                cost: Money(nanoUSD: cost), baselineCost: Money(nanoUSD: baseline),
                savedByRouting: Money(nanoUSD: (baseline - cost) / 3),
                savedByCaching: Money(nanoUSD: (baseline - cost) / 3),
                savedByBatching: Money(nanoUSD: (baseline - cost) - 2 * ((baseline - cost) / 3)),
                retries: retries)
            rows.append(row)
            for attempt in 0..<retries {
                row.kind = .attempt
                row.attempt = attempt + 1
                row.status = 529
                row.cost = Money(nanoUSD: 7)
                rows.append(row)
            }
        }
        return rows
    }
}

extension Ledger {
    /// Opens a ledger with a fixed clock on November 15th unless told otherwise.
    static func test(
        _ path: String, interval: Duration = .milliseconds(5), capacity: Int = 10_000,
        now: Int64 = Rows.november1 + 14 * UTCDay.millis + 3_600_000, retryDelay: Duration = .milliseconds(20)
    ) throws -> Ledger {
        try Ledger(
            path: path,
            configuration: LedgerConfiguration(
                commitInterval: interval, queueCapacity: capacity, retryDelay: retryDelay,
                clock: FixedClock(millis: now)))
    }

    func recordAll(_ rows: [UsageRecord]) async {
        for row in rows { await record(row) }
    }
}

/// Counts the rows of a table through a separate connection (what another process would see).
func countRows(_ path: String, table: String = "usage") throws -> Int {
    let database = try Database(path: path, readOnly: true, create: false)
    let statement = try database.prepare("SELECT COUNT(*) FROM \(table)")
    _ = try statement.step()
    return statement.int(0)
}
