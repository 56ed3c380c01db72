import Foundation
import RouterCore
import Testing

@testable import UsageLedger

/// `report --cache`: per task type, what prompt caching read, wrote, and saved or lost, priced exactly.
@Suite struct CacheReportTests {
    static let sonnet = ModelSpec(
        id: "claude-sonnet-4-6", tier: .sonnet, contextWindow: 1_000_000, maxOutputTokens: 64_000,
        minCacheableTokens: 1_024, rateLimitBucket: "b",
        prices: [
            ModelPrice(
                effectiveFrom: Day(year: 2026, month: 1, day: 1)!, input: PerMillionPrice(microUSD: 3_000_000),
                output: PerMillionPrice(microUSD: 15_000_000))
        ])

    /// A request row priced as the service prices it.
    static func priced(_ taskType: String, _ usage: TokenUsage, at millis: Int64) -> UsageRecord {
        var row = Rows.request(at: millis, taskType: taskType, model: sonnet.id, usage: usage)
        try? Pricing.price(&row, model: sonnet, baseline: sonnet, on: Day(epochMillis: millis))
        return row
    }

    /// "rag" writes a 10,000-token prefix once and reads it nine times; "oneshot" writes 10,000 tokens five times
    /// and never reads them.
    static func seed(_ path: String) async throws {
        let ledger = try Ledger.test(path)
        let t = Rows.november1 + 3_600_000
        await ledger.record(priced("rag", TokenUsage(input: 200, output: 100, cacheWrite5m: 10_000), at: t))
        for i in 1...9 {
            await ledger.record(
                priced("rag", TokenUsage(input: 200, output: 100, cacheRead: 10_000), at: t + Int64(i) * 60_000))
        }
        for i in 0..<5 {
            await ledger.record(
                priced("oneshot", TokenUsage(input: 200, output: 100, cacheWrite5m: 10_000), at: t + Int64(i)))
        }
        try await ledger.close()
    }

    @Test func savingsPerTaskTypeAreExactAndALossIsNegative() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.taskType]))
        #expect(report.source == .rollup)
        let byType = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.labels[0], $0.totals) })
        // One 5m write costs 0.25 × $3/MTok × 10,000 = $0.0075 extra; each read saves 0.9 × $3/MTok × 10,000 =
        // $0.027. rag: 9 × 0.027 − 0.0075 = $0.2355 saved. oneshot: 5 × −0.0075 = −$0.0375, a loss.
        #expect(byType["rag"]?.savedByCaching == Money(nanoUSD: 235_500_000))
        #expect(byType["oneshot"]?.savedByCaching == Money(nanoUSD: -37_500_000))
        #expect(byType["rag"]?.usage.cacheRead == 90_000)
        #expect(report.total.savedByCaching == Money(nanoUSD: 198_000_000))
        // The raw rows say the same.
        let raw = try ReportReader(path: path).run(ReportQuery(groupBy: [.taskType]), source: .raw)
        #expect(raw.rows == report.rows)
    }

    @Test func theCacheViewShowsHitRatioAndTheSignedSaving() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.taskType]))
        let table = ReportFormatter(view: .cache).render(report, as: .table)
        let lines = table.split(separator: "\n").map(String.init)
        let oneshot = try #require(lines.first { $0.hasPrefix("oneshot") })
        let rag = try #require(lines.first { $0.hasPrefix("rag") })
        #expect(oneshot.contains("-0.0375"))
        #expect(oneshot.contains(" 0.0%"))
        // rag read 90,000 of its 102,000 prompt tokens.
        #expect(rag.contains("88.2%"))
        #expect(rag.contains("0.2355"))
        #expect(table.contains("caching saved (exact): $0.198000000"))
        #expect(!table.contains("saved routing"))
        let csv = ReportFormatter(view: .cache).render(report, as: .csv)
        #expect(
            csv.hasPrefix(
                "task-type,requests,input,cache_write_5m,cache_write_1h,cache_read,cache_hit,cost,caching_saved"))
        #expect(csv.contains(",-0.037500000,"))
    }
}

/// The report's budget lines: from the policy, with flags overriding a limit.
@Suite struct BudgetLinesTests {
    static func policy() -> Policy {
        Policy(
            models: [CacheReportTests.sonnet], tierDefaults: [.sonnet: CacheReportTests.sonnet.id], taskTypes: [],
            classifier: ClassifierConfig(rules: [], defaultTaskType: "chat"), routing: RoutingConfig(),
            clients: [
                ClientSpec(
                    name: "alice", keySHA256: "a",
                    budget: BudgetConfig(
                        daily: Money(nanoUSD: 10_000), monthly: Money(nanoUSD: 1_000_000), softLimitPercent: 80)),
                ClientSpec(name: "bob", keySHA256: "b"),
                ClientSpec(
                    name: "carol", keySHA256: "c", budget: BudgetConfig(monthly: Money(nanoUSD: 5_000), hardLimit: true)
                ),
            ])
    }

    static let today = UTCDay(containingMillis: Rows.november1 + 14 * UTCDay.millis)

    static func totals() -> SpendTotals {
        var totals = SpendTotals()
        let now = today.startMillis + 1_000
        totals.add(client: "alice", taskType: "chat", cost: Money(nanoUSD: 8_500), atMillis: now)
        totals.add(client: "carol", taskType: "chat", cost: Money(nanoUSD: 6_000), atMillis: now - UTCDay.millis)
        return totals
    }

    @Test func everyClientWithABudgetInThePolicyHasALine() {
        let lines = BudgetUse.lines(policy: Self.policy(), totals: Self.totals(), today: Self.today)
        #expect(lines.map(\.client) == ["alice", "carol"])
        let alice = lines[0]
        #expect(alice.dailyLimit == Money(nanoUSD: 10_000))
        #expect(alice.spentToday == Money(nanoUSD: 8_500))
        #expect(alice.source == .policy)
        // 85% of the daily limit, past the 80% soft limit.
        #expect(alice.status == .soft)
        // carol spent 6,000 of 5,000 this month (yesterday): over, and her limit is hard.
        #expect(lines[1].status == .over)
        #expect(lines[1].spentToday == .zero)
        #expect(ReportFormatter.statusText(lines[1]) == "over (refused)")
    }

    @Test func aFlagOverridesThePolicysLimitAndAddsClients() {
        let lines = BudgetUse.lines(
            policy: Self.policy(), daily: ["alice": Money(nanoUSD: 100_000), "dave": Money(nanoUSD: 1)],
            totals: Self.totals(), today: Self.today)
        #expect(lines.map(\.client) == ["alice", "carol", "dave"])
        #expect(lines[0].dailyLimit == Money(nanoUSD: 100_000))
        #expect(lines[0].monthlyLimit == Money(nanoUSD: 1_000_000))
        #expect(lines[0].source == .flag)
        #expect(lines[0].status == .ok)
        #expect(lines[2].status == .ok)
    }

    @Test func theClientFilterKeepsOneLine() {
        let lines = BudgetUse.lines(policy: Self.policy(), client: "carol", totals: Self.totals(), today: Self.today)
        #expect(lines.map(\.client) == ["carol"])
    }
}
