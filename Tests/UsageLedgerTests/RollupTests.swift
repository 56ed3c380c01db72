import RouterCore
import Testing

@testable import UsageLedger

@Suite struct RollupTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func rollupEqualsRawAggregation(seed: UInt64) async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path, interval: .milliseconds(1), capacity: 97)
        let rows = Rows.random(count: 2_000, days: 6, seed: seed)
        await ledger.recordAll(rows)
        try await ledger.close()

        let reader = try ReportReader(path: path)
        for groupBy in [[], [ReportDimension.day, .client, .taskType, .model, .mode], [.model], [.client, .day]] {
            let query = ReportQuery(groupBy: groupBy)
            #expect(try reader.run(query, source: .rollup).rows == reader.run(query, source: .raw).rows)
        }

        // And both equal the same aggregation done in Swift over the rows that were recorded.
        var expected: [[String]: ReportTotals] = [:]
        for row in rows {
            expected[[row.modelUsed, UTCDay(containingMillis: row.timestampMillis).description], default: .init()]
                .add(row)
        }
        let report = try reader.run(ReportQuery(groupBy: [.model, .day]))
        #expect(report.source == .rollup)
        #expect(Dictionary(uniqueKeysWithValues: report.rows.map { ($0.labels, $0.totals) }) == expected)
        #expect(report.total.requests == Int64(rows.filter { $0.kind == .request }.count))
        #expect(report.total.attempts == Int64(rows.filter { $0.kind == .attempt }.count))
    }
}
