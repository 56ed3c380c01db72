import Foundation
import RouterCore
import Testing

@testable import UsageLedger

@Suite struct LedgerTests {
    @Test func everyColumnRoundTrips() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path)
        var rows = [Rows.full(index: 0), Rows.full(index: 1)]
        rows[1].kind = .request
        rows[1].upstreamRequestID = nil
        rows[1].errorType = nil
        rows[1].usageEstimated = false
        rows[1].mode = .batch
        rows[1].cost = Money(nanoUSD: -5)  // a refund-like correction must survive too
        await ledger.recordAll(rows)
        try await ledger.close()

        let stored = try ReportReader(path: path).usageRows()
        #expect(stored == rows)
    }

    @Test func closeCommitsEverythingQueued() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        // An interval far longer than the test: only close() can have committed the rows.
        let ledger = try Ledger.test(path, interval: .seconds(3600))
        await ledger.recordAll((0..<250).map { Rows.request(at: Rows.november1 + Int64($0)) })
        #expect(try countRows(path) == 0)
        try await ledger.close()
        #expect(try countRows(path) == 250)
        #expect(ledger.pendingCount == 0)
    }

    @Test(
        "a long batch is split into transactions of at most the commit interval (plus one 512-row chunk)",
        arguments: [(1e-9, 10), (3_600.0, 1), (0.0, 1)])
    func transactionsCappedByTime(seconds: Double, transactions: Int) throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        // No writer thread: the test drives the writer's `write` itself, on 5,000 waiting rows.
        let ledger = try Ledger(
            path: path, configuration: LedgerConfiguration(clock: FixedClock(millis: Rows.november1)),
            startWriter: false)
        let rows = (0..<5_000).map { Rows.request(at: Rows.november1 + Int64($0) * 60_000) }
        let (written, count, error) = ledger.write(rows, maxTransactionSeconds: seconds)
        #expect(error == nil)
        #expect(written == 5_000)
        #expect(count == transactions)
        #expect(try countRows(path) == 5_000)
        // The rollup is exact when a batch spans several transactions (and several days).
        let reader = try ReportReader(path: path)
        let query = ReportQuery(groupBy: [.day, .client, .model])
        #expect(try reader.run(query, source: .rollup).rows == reader.run(query, source: .raw).rows)
    }

    @Test func flushCommitsWithoutClosing() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path, interval: .seconds(3600))
        await ledger.recordAll((0..<10).map { Rows.request(at: Rows.november1 + Int64($0)) })
        try await ledger.flush()
        #expect(try countRows(path) == 10)
        await ledger.record(Rows.request(at: Rows.november1))
        try await ledger.close()
        #expect(try countRows(path) == 11)
    }

    @Test func synchronousRecordReturnsAfterCommit() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger(path: path, configuration: .synchronous)
        for index in 1...5 {
            await ledger.record(Rows.request(at: Rows.november1 + Int64(index)))
            #expect(try countRows(path) == index)
        }
        try await ledger.close()
    }

    @Test func fullQueueMakesRecordWaitAndDropsNothing() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path, interval: .seconds(3600), capacity: 4)
        // Another connection holds the write lock, so the writer cannot commit and the queue fills up.
        let blocker = try Database(path: path)
        try blocker.execute("BEGIN IMMEDIATE")

        let total = 20
        let returned = Counter()
        let producer = Task {
            for index in 0..<total {
                await ledger.record(Rows.request(at: Rows.november1 + Int64(index), id: "r\(index)"))
                returned.increment()
            }
        }
        // Wait (bounded) until a record call is parked on the full queue.
        var parked = false
        for _ in 0..<2_000 where !parked {
            parked = ledger.blockedCount > 0
            if !parked { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(parked)
        #expect(returned.value < total)

        try blocker.execute("COMMIT")
        await producer.value
        try await ledger.close()
        #expect(returned.value == total)
        let stored = try ReportReader(path: path).usageRows().map(\.requestID)
        #expect(stored == (0..<total).map { "r\($0)" })
    }

    @Test func spendTotalsCountRequestsOfTodayAndThisMonth() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let now = Rows.november1 + 14 * UTCDay.millis + 3_600_000  // Nov 15, 01:00
        let ledger = try Ledger.test(path, now: now)
        let today = UTCDay(containingMillis: now).startMillis
        await ledger.recordAll([
            Rows.request(at: today + 5, client: "alice", taskType: "chat", cost: 100),
            Rows.request(at: today + 6, client: "alice", taskType: "code", cost: 20),
            Rows.request(at: today - UTCDay.millis, client: "alice", taskType: "chat", cost: 3),  // Nov 14
            Rows.request(at: Rows.november1 - 1, client: "alice", taskType: "chat", cost: 4000),  // October
            Rows.request(at: today, client: "bob", cost: 7),
        ])
        var attempt = Rows.request(at: today + 7, client: "alice", taskType: "chat", cost: 999)
        attempt.kind = .attempt
        await ledger.record(attempt)

        #expect(ledger.spend(client: "alice") == (Money(nanoUSD: 120), Money(nanoUSD: 123)))
        #expect(ledger.spend(client: "alice", taskType: "chat") == (Money(nanoUSD: 100), Money(nanoUSD: 103)))
        #expect(ledger.spend(client: "bob") == (Money(nanoUSD: 7), Money(nanoUSD: 7)))
        #expect(ledger.spend(client: "nobody") == (Money.zero, Money.zero))
        try await ledger.close()

        // Rebuilt from the rollup when the ledger opens again.
        let reopened = try Ledger.test(path, now: now)
        #expect(reopened.spend(client: "alice") == (Money(nanoUSD: 120), Money(nanoUSD: 123)))
        #expect(reopened.spend(client: "alice", taskType: "chat") == (Money(nanoUSD: 100), Money(nanoUSD: 103)))
        try await reopened.close()

        // A day later the day total starts again; the month total stays.
        let tomorrow = try Ledger.test(path, now: now + UTCDay.millis)
        #expect(tomorrow.spend(client: "alice") == (Money.zero, Money(nanoUSD: 123)))
        try await tomorrow.close()
    }

    @Test func crashLosesOnlyUncommittedRowsAndLeavesTheDatabaseConsistent() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path, interval: .seconds(3600))
        let committed = Rows.random(count: 300, days: 3, seed: 7)
        await ledger.recordAll(committed)
        try await ledger.flush()

        // Rows still in the queue when the process dies are lost (at most one commit interval's worth).
        await ledger.recordAll((0..<50).map { Rows.request(at: Rows.november1 + Int64($0), id: "queued\($0)") })
        // And a transaction in flight: the writer's connection mid-batch, with a tiny page cache so that
        // uncommitted pages spill into the WAL file like a large batch would.
        try ledger.database.execute("PRAGMA cache_size=2")
        try ledger.database.execute("BEGIN IMMEDIATE")
        try UsageRows.insert(
            (0..<2_000).map { Rows.request(at: Rows.november1 + Int64($0), id: "inflight\($0)") },
            into: ledger.database)

        // What kill -9 leaves on disk right now: the database file and its WAL, without the shared-memory index.
        let crashed = directory.path("crashed.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: crashed + "-wal")
        try ledger.database.execute("ROLLBACK")

        let reader = try ReportReader(path: crashed)
        let stored = try reader.usageRows()
        #expect(stored.count == committed.count)
        #expect(Set(stored) == Set(committed))
        let everything = ReportQuery(groupBy: [.day, .client, .taskType, .model, .mode])
        #expect(try reader.run(everything, source: .rollup).rows == reader.run(everything, source: .raw).rows)

        // The recovered file opens for writing and keeps going.
        let reopened = try Ledger.test(crashed)
        await reopened.record(Rows.request(at: Rows.november1, id: "after"))
        try await reopened.close()
        #expect(try countRows(crashed) == committed.count + 1)
        try await ledger.close()
    }

    @Test func diskFullIsReportedAndNothingIsSilentlyLost() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path, interval: .seconds(3600))
        // Cap the file near its current size: the next inserts fail with SQLITE_FULL like a full disk.
        let pages = try ledger.database.pragmaInt("page_count")
        try ledger.database.execute("PRAGMA max_page_count=\(pages + 1)")
        var row = Rows.request(at: Rows.november1)
        row.classifierReason = String(repeating: "x", count: 20_000)
        await ledger.recordAll(Array(repeating: row, count: 10))

        await #expect(throws: LedgerError.self) { try await ledger.flush() }
        #expect(ledger.lastError?.code == .diskFull)
        #expect(ledger.pendingCount == 10)
        do {
            try await ledger.close()
            Issue.record("close must report the rows it could not write")
        } catch {
            #expect(error.code == .diskFull)
            #expect(error.message.contains("10 row(s) not written"))
        }
    }
}

/// A thread-safe counter for tests.
final class Counter: @unchecked Sendable {
    // Protected by `lock`.
    private var count = 0
    private let lock = NSLock()
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
