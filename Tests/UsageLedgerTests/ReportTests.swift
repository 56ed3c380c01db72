import RouterCore
import Testing

@testable import UsageLedger

@Suite struct ReportTests {
    static let day = UTCDay.millis
    static let nov1 = Rows.november1

    /// Alice and Bob over three days, two models, one error, one retried request with its attempt row.
    static func seed(_ path: String) async throws {
        let ledger = try Ledger.test(path)
        var retried = Rows.request(
            at: nov1 + 2 * day + 7_200_000, client: "bob", taskType: "code", model: "claude-sonnet-4-6", cost: 9000,
            baseline: 9000)
        retried.retries = 1
        var attempt = retried
        attempt.kind = .attempt
        attempt.attempt = 1
        attempt.status = 529
        await ledger.recordAll([
            Rows.request(at: nov1 + 1000, client: "alice", cost: 1000, baseline: 3000),
            Rows.request(at: nov1 + 2000, client: "alice", cost: 1500, baseline: 3000),
            Rows.request(at: nov1 + day + 5, client: "alice", model: "claude-sonnet-4-6", cost: 4000, baseline: 4000),
            Rows.request(at: nov1 + day + 3_600_000, client: "bob", cost: 500, baseline: 600, status: 500),
            attempt, retried,
        ])
        try await ledger.close()
    }

    @Test func byModel() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.model]))
        #expect(report.source == .rollup)
        #expect(report.rows.map(\.labels) == [["claude-haiku-4-5"], ["claude-sonnet-4-6"]])
        let haiku = report.rows[0].totals
        #expect(haiku.requests == 3)
        #expect(haiku.errors == 1)
        #expect(haiku.cost == Money(nanoUSD: 3000))
        #expect(haiku.baselineCost == Money(nanoUSD: 6600))
        #expect(haiku.savedByRouting + haiku.savedByCaching == haiku.saved)
        #expect(haiku.usage == TokenUsage(input: 300, output: 150, cacheRead: 900))
        #expect(haiku.cacheHitRatio == 0.75)
        let sonnet = report.rows[1].totals
        #expect(sonnet.requests == 2)
        #expect(sonnet.retries == 1)
        #expect(sonnet.attempts == 1)
        #expect(sonnet.cost == Money(nanoUSD: 13_000))
        #expect(report.total.cost == Money(nanoUSD: 16_000))
    }

    @Test func byDayAndClientCombined() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.day, .client]))
        #expect(
            report.rows.map(\.labels) == [
                ["2026-11-01", "alice"], ["2026-11-02", "alice"], ["2026-11-02", "bob"], ["2026-11-03", "bob"],
            ])
        #expect(report.rows.map(\.totals.cost.nanoUSD) == [2500, 4000, 500, 9000])
    }

    @Test func hourGroupingUsesRawRows() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.hour]))
        #expect(report.source == .raw)
        #expect(
            report.rows.map(\.labels) == [
                ["2026-11-01 00:00"], ["2026-11-02 00:00"], ["2026-11-02 01:00"], ["2026-11-03 02:00"],
            ])
    }

    @Test func filtersByClientAndRange() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        let reader = try ReportReader(path: path)
        let alice = try reader.run(ReportQuery(groupBy: [.model], client: "alice"))
        #expect(alice.total.requests == 3)
        #expect(alice.total.cost == Money(nanoUSD: 6500))

        // Day-aligned: November 2nd only, from the rollup.
        let second = try reader.run(
            ReportQuery(sinceMillis: Self.nov1 + Self.day, untilMillis: Self.nov1 + 2 * Self.day))
        #expect(second.source == .rollup)
        #expect(second.total.cost == Money(nanoUSD: 4500))

        // Not day-aligned: from raw rows, to the millisecond.
        let partial = try reader.run(ReportQuery(sinceMillis: Self.nov1 + 1500, untilMillis: Self.nov1 + Self.day + 6))
        #expect(partial.source == .raw)
        #expect(partial.total.cost == Money(nanoUSD: 5500))
    }

    @Test func totalEqualsTheSumOfRowCosts() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path)
        let rows = Rows.random(count: 1_500, days: 4, seed: 42)
        await ledger.recordAll(rows)
        try await ledger.close()
        let expected = rows.filter { $0.kind == .request }.reduce(Money.zero) { $0 + $1.cost }
        let reader = try ReportReader(path: path)
        for groupBy in [[ReportDimension.model, .day], [.hour, .client], [.taskType, .mode]] {
            let report = try reader.run(ReportQuery(groupBy: groupBy))
            #expect(report.total.cost == expected)
            #expect(report.rows.reduce(Money.zero) { $0 + $1.totals.cost } == expected)
        }
    }

    @Test(arguments: [
        ("7d", false, Int64(-7 * 86_400_000)), ("24h", false, -86_400_000), ("30m", true, -1_800_000),
        ("now", true, 0),
    ])
    func relativeTimesCountBackFromNow(text: String, isUntil: Bool, offset: Int64) throws {
        let now = Rows.november1 + 10 * UTCDay.millis + 12_345
        #expect(try ReportQuery.parseTime(text, nowMillis: now, isUntil: isUntil).get() == now + offset)
    }

    @Test func datesAreUTCMidnightsAndAnUntilDateIncludesItsDay() throws {
        let now = Rows.november1
        #expect(try ReportQuery.parseTime("2026-11-01", nowMillis: now, isUntil: false).get() == Rows.november1)
        #expect(
            try ReportQuery.parseTime("2026-11-30", nowMillis: now, isUntil: true).get()
                == UTCDay(iso: "2026-12-01")!.startMillis)
        #expect(
            try ReportQuery.parseTime("2026-11-01T12:30Z", nowMillis: now, isUntil: false).get()
                == Rows.november1 + 45_000_000)
        #expect(throws: ReportQueryError.self) {
            try ReportQuery.parseTime("last week", nowMillis: now, isUntil: false).get()
        }
    }

    @Test func relativeRangeWithAnInjectedNow() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Self.seed(path)
        // "Now" is Nov 3 at 12:00; 24h back reaches Nov 2 12:00: only Bob's retried request on Nov 3 is inside.
        let now = Self.nov1 + 2 * Self.day + 43_200_000
        let since = try ReportQuery.parseTime("24h", nowMillis: now, isUntil: false).get()
        let report = try ReportReader(path: path).run(ReportQuery(sinceMillis: since, groupBy: [.client]))
        #expect(report.rows.map(\.labels) == [["bob"]])
        #expect(report.total.cost == Money(nanoUSD: 9000))
    }

    @Test func byListsParseCommaSeparatedAndRepeated() throws {
        #expect(try ReportDimension.parseList(["model,day", "task_type", "model"]).get() == [.model, .day, .taskType])
        #expect(throws: ReportQueryError.self) { try ReportDimension.parseList(["colour"]).get() }
    }
}
