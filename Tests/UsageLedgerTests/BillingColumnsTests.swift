import Foundation
import RouterCore
import Testing

@testable import UsageLedger

/// The billing columns (web searches and their fee, inference geo, whose cache marks, the client's cache saving):
/// stored, summed by the rollup like the raw rows, and added to an older ledger without losing a row.
@Suite struct BillingColumnsTests {
    @Test func theRollupSumsSearchesTheirFeeAndClientCacheSavingsLikeTheRows() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path)
        var rows: [UsageRecord] = []
        for i in 0..<4 {
            var row = Rows.request(at: Rows.november1 + Int64(i) * 1000)
            row.usage.webSearchRequests = Int64(i)
            row.webSearchCost = Money(nanoUSD: Int64(i) * 10_000_000)
            row.savedByClientCache = Money(nanoUSD: 7)
            rows.append(row)
        }
        await ledger.recordAll(rows)
        try await ledger.close()
        let reader = try ReportReader(path: path)
        let query = ReportQuery(sinceMillis: Rows.november1, untilMillis: Rows.november1 + UTCDay.millis)
        let rollup = try reader.run(query, source: .rollup).total
        let raw = try reader.run(query, source: .raw).total
        #expect(rollup == raw)
        #expect(raw.usage.webSearchRequests == 6)
        #expect(raw.webSearchCost == Money(nanoUSD: 60_000_000))
        #expect(raw.savedByClientCache == Money(nanoUSD: 28))
    }

    @Test func upgradingALedgerKeepsEveryRow() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("old.sqlite")
        // A ledger as the build before the billing columns left it: schema version 3, one row.
        do {
            let database = try Database(path: path)
            for migration in Schema.migrations.prefix(3) { try database.execute(migration) }
            try database.execute("PRAGMA user_version = 3")
            let old = UsageRows.columns.prefix(34)
            try database.execute(
                "INSERT INTO usage (\(old.joined(separator: ", "))) VALUES ('request', \(Rows.november1), 'r1', 0, NULL,"
                    + " 'alice', 'chat', 1000, '', 'auto', 'claude-haiku-4-5', 'haiku', 'sync', 200, NULL, 10, 5, 0, 0,"
                    + " 0, 0, 35000, 70000, 35000, 0, 0, 'claude-haiku-4-5@2025-10-01', '', 1, 1, 0, 0, 'none', 'sync')")
        }
        try await Ledger.test(path).close()
        let rows = try ReportReader(path: path).usageRows()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.requestID == "r1" && row.cost == Money(nanoUSD: 35_000))
        #expect(row.usage.webSearchRequests == 0 && row.webSearchCost == .zero && row.inferenceGeo == nil)
        #expect(row.cacheBy == .none && row.savedByClientCache == .zero)
    }
}
