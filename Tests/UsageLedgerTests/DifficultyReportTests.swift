import RouterCore
import Testing

@testable import UsageLedger

/// The ledger keeps each request's difficulty, and `report --by difficulty` groups by it.
@Suite struct DifficultyReportTests {
    @Test func difficultyIsStoredAndReportedFromRawRows() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path)
        var rows: [UsageRecord] = []
        for (i, difficulty) in ["simple", "simple", "hard", ""].enumerated() {
            var row = Rows.request(at: Rows.november1 + Int64(i) * 1000, client: "alice", cost: 1000 * Int64(i + 1), baseline: 5000)
            row.difficulty = difficulty
            rows.append(row)
        }
        await ledger.recordAll(rows)
        try await ledger.close()
        let report = try ReportReader(path: path).run(ReportQuery(groupBy: [.difficulty]))
        #expect(report.source == .raw)
        #expect(report.rows.map(\.labels) == [[""], ["hard"], ["simple"]])
        #expect(report.rows.map(\.totals.cost.nanoUSD) == [4000, 3000, 3000])
        #expect((try? ReportDimension.parseList(["difficulty"]).get()) == [.difficulty])
    }
}
