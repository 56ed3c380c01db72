import Foundation
import RouterCore
import Testing
@testable import UsageLedger

@testable import UsageLedgerPostgres

/// Several replicas on one PostgreSQL database: each task packed once, work owned by one live replica and taken
/// over when its lease expires, spend shared.
@Suite(.enabled(if: PostgresEnvironment.reachable, "needs PostgreSQL (CLAUDE_ROUTER_TEST_PG_URL)"))
struct ReplicaTests {
    @Test func aTaskIsPackedByOneReplicaOnly() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.queue(clock: clock, replica: "a")
        let b = try store.queue(clock: clock, replica: "b")
        for id in ["t1", "t2"] { try a.insert(Rows.task(id)) }
        // Both replicas saw the same pending tasks; only the first claim lands, the second changes nothing.
        let seenByB = try b.pendingTasks(limit: 10).map(\.id)
        try a.markSubmitted(taskIDs: ["t1", "t2"], batch: BatchRecord(id: "rb-a", createdMillis: Rows.now))
        #expect(throws: LedgerError.self) {
            try b.markSubmitted(taskIDs: seenByB, batch: BatchRecord(id: "rb-b", createdMillis: Rows.now))
        }
        #expect(try b.batch(id: "rb-b") == nil)
        #expect(try a.task(id: "t1")?.batchID == "rb-a")
        #expect(try b.task(id: "t2")?.attempts == 1)
    }

    @Test func aLiveReplicasBatchIsLeftAloneAndADeadOnesIsTakenOverOnce() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.queue(clock: clock, replica: "a", leaseMillis: 10_000)
        let b = try store.queue(clock: clock, replica: "b", leaseMillis: 10_000)
        let c = try store.queue(clock: clock, replica: "c", leaseMillis: 10_000)
        try a.insert(Rows.task("t1"))
        try a.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "rb1", createdMillis: Rows.now))
        try a.updateBatch(id: "rb1", upstreamBatchID: "msgbatch_1", state: .inProgress, submittedMillis: Rows.now)
        #expect(try a.batches(in: [.inProgress]).map(\.id) == ["rb1"])
        #expect(try b.batches(in: [.inProgress]).isEmpty)

        // a stops renewing (killed); b and c keep going: exactly one of them takes the batch over.
        clock.advance(11_000)
        try #require(c as? PostgresTaskQueue).heartbeat(force: true)
        let takenByB = try b.batches(in: [.inProgress]).map(\.id)
        let takenByC = try c.batches(in: [.inProgress]).map(\.id)
        #expect(takenByB == ["rb1"])
        #expect(takenByC.isEmpty)
    }

    @Test func aLiveReplicasRunIsNotReleasedButADeadOnesIs() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.queue(clock: clock, replica: "a", leaseMillis: 10_000)
        let b = try store.queue(clock: clock, replica: "b", leaseMillis: 10_000)
        try a.insert(Rows.task("t1"))
        _ = try a.startRun(taskID: "t1")
        #expect(try b.releaseRuns(keeping: []) == 0)
        #expect(try a.task(id: "t1")?.state == .running)
        clock.advance(11_000)
        #expect(try b.releaseRuns(keeping: []) == 1)
        #expect(try b.task(id: "t1")?.state == .pending)
    }

    @Test func aDueCallbackIsHandedToOneReplica() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.queue(clock: clock, replica: "a")
        let b = try store.queue(clock: clock, replica: "b")
        try a.insert(Rows.task("t1", callback: "https://cb"))
        _ = try a.startRun(taskID: "t1")
        _ = try a.finishRun(taskID: "t1", state: .succeeded, resultJSON: "{}", error: nil, costNano: 1)
        #expect(try a.dueCallbacks(nowMillis: Rows.now, limit: 10).map(\.id) == ["t1"])
        #expect(try b.dueCallbacks(nowMillis: Rows.now, limit: 10).isEmpty)
    }

    @Test func replicasPackingConcurrentlyClaimEachTaskExactlyOnce() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let queues = try ["a", "b", "c"].map { try store.queue(clock: clock, replica: $0) }
        let taskCount = 120
        for index in 0..<taskCount { try queues[0].insert(Rows.task("t\(index)")) }
        let claimed = Failures()
        let failures = Failures()
        // Three schedulers on threads of their own, each packing what it sees pending in batches of 7 until nothing
        // is left (bounded: each round either claims or finds a claim conflict; 200 rounds is far more than needed).
        DispatchQueue.concurrentPerform(iterations: queues.count) { replica in
            let queue = queues[replica]
            for round in 0..<200 {
                do {
                    let pending = try queue.pendingTasks(limit: 7).map(\.id)
                    if pending.isEmpty { return }
                    let batchID = "rb-\(replica)-\(round)"
                    do {
                        try queue.markSubmitted(
                            taskIDs: pending, batch: BatchRecord(id: batchID, createdMillis: Rows.now))
                        for id in pending { claimed.add(id) }
                    } catch {
                        // Another replica claimed one of them first: nothing of this batch was changed.
                        if try queue.batch(id: batchID) != nil { failures.add("a refused batch was stored") }
                    }
                } catch {
                    failures.add("\(error)")
                    return
                }
            }
        }
        #expect(failures.all.isEmpty)
        #expect(claimed.all.count == taskCount)
        #expect(Set(claimed.all).count == taskCount)
        #expect(try queues[1].pendingTasks(limit: 1_000).isEmpty)
        #expect(try queues[2].stateCounts().unfinishedTasks == ["submitted": taskCount])
    }

    @Test func aDueBudgetAlertIsDeliveredByOneReplicaAndRetakenWhenItsLeasePasses() throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.queue(clock: clock, replica: "a", leaseMillis: 10_000)
        let b = try store.queue(clock: clock, replica: "b", leaseMillis: 10_000)
        let alert = TaskQueue.BudgetAlert(
            id: "alice/-/daily/1/hard", client: "alice", taskType: "", period: "daily", periodStartDay: 1,
            level: "hard", createdMillis: Rows.now, body: "{}", nextAttemptMillis: Rows.now)
        #expect(try a.insertBudgetAlert(alert))
        #expect(try !b.insertBudgetAlert(alert))
        #expect(try a.dueBudgetAlerts(nowMillis: Rows.now, limit: 10).map(\.id) == [alert.id])
        #expect(try b.dueBudgetAlerts(nowMillis: Rows.now, limit: 10).isEmpty)
        // a died before recording the delivery: after the lease, b takes it.
        #expect(try b.dueBudgetAlerts(nowMillis: Rows.now + 10_000, limit: 10).map(\.id) == [alert.id])
    }

    @Test func aReplicaSeesTheSpendAnotherRecorded() async throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let a = try store.ledger(clock: clock)
        let b = try store.ledger(clock: clock)
        await a.record(Rows.request(cost: 700))
        try await a.flush()
        // b re-reads the shared rollup every 20 ms: wait (bounded) until it has.
        let deadline = ContinuousClock.now + .seconds(10)
        while b.spend(client: "alice").day != Money(nanoUSD: 700) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(b.spend(client: "alice") == (Money(nanoUSD: 700), Money(nanoUSD: 700)))
        try await a.close()
        try await b.close()
    }

    /// Rows the task queue commits (batch results, failed tasks) reach the budgets with its commit. The ledger
    /// re-reads every replica's committed spend meanwhile; whenever those reads land, each row counts exactly once.
    @Test func rowsTheQueueCommitsCountOnceWhileTheSharedSpendIsReRead() async throws {
        let store = try StoreFixture(.postgres)
        let clock = TestClock(Rows.now)
        let ledger = try store.ledger(clock: clock, refresh: .milliseconds(1))
        let queue = try store.queue(clock: clock, accounting: ledger)
        var expected: Int64 = 0
        for index in 0..<40 {
            let cost = Int64(10 + index)
            try queue.insertClientBatch(
                ClientBatch(
                    id: "mb\(index)", client: "alice", upstreamBatchID: "up\(index)", createdMillis: Rows.now,
                    requestCount: 1),
                items: [("x", "{}")])
            _ = try queue.recordClientBatchResults(batchID: "mb\(index)", [("x", [Rows.request(cost: cost)])])
            expected += cost
            #expect(ledger.spend(client: "alice").day == Money(nanoUSD: expected))
        }
        try queue.insert(Rows.task("t1"))
        #expect(try queue.failPending(taskID: "t1", error: "deadline", usage: [Rows.request(cost: 7)]))
        expected += 7
        #expect(ledger.spend(client: "alice").day == Money(nanoUSD: expected))
        // After a read that certainly follows every commit (one follows each of the ledger's own), still exact.
        await ledger.record(Rows.request(client: "bob", cost: 1))
        try await ledger.flush()
        #expect(ledger.spend(client: "alice") == (Money(nanoUSD: expected), Money(nanoUSD: expected)))
        try await ledger.close()
    }

    @Test func migrateCopiesASQLiteLedgerOnceAndTheReportsAgree() async throws {
        let sqlite = try StoreFixture(.sqlite)
        let clock = TestClock(Rows.now)
        let ledger = try sqlite.ledger(clock: clock)
        for index in 0..<300 {
            await ledger.record(
                Rows.request(
                    at: Rows.now - Int64(index) * 60_000, client: ["alice", "bob"][index % 2], cost: Int64(100 + index)))
        }
        try await ledger.close()
        let queue = try sqlite.queue(clock: clock)
        try queue.insert(Rows.task("t1"))
        try queue.insert(Rows.task("t2"))
        try queue.markSubmitted(taskIDs: ["t2"], batch: BatchRecord(id: "rb1", createdMillis: Rows.now))
        let alert = TaskQueue.BudgetAlert(
            id: "alice/-/monthly/1/soft", client: "alice", taskType: "", period: "monthly", periodStartDay: 1,
            level: "soft", createdMillis: Rows.now, body: "{}", state: .delivered, attempts: 1)
        #expect(try queue.insertBudgetAlert(alert))

        let target = try StoreFixture(.postgres)
        let url = try #require(target.url)
        let counts = try PostgresImport.copy(from: try LedgerExport(path: sqlite.sqlitePath), to: url)
        #expect(counts.usageRows == 300)
        #expect(counts.tasks == 2)
        #expect(counts.batches == 1)
        #expect(counts.budgetAlerts == 1)
        // A second copy into the same store is refused, not doubled.
        #expect(throws: LedgerError.self) {
            _ = try PostgresImport.copy(from: try LedgerExport(path: sqlite.sqlitePath), to: url)
        }

        let query = ReportQuery(sinceMillis: nil, untilMillis: nil, groupBy: [.client, .day])
        let before = try sqlite.reader().run(query, source: .raw)
        #expect(try target.reader().run(query, source: .raw).rows == before.rows)
        let copied = try target.queue(clock: clock)
        #expect(try copied.task(id: "t1")?.state == .pending)
        #expect(try copied.task(id: "t2")?.batchID == "rb1")
        #expect(try copied.budgetAlert(id: alert.id) == alert)
    }

    @Test func replicasStartingTogetherMigrateOnce() throws {
        let store = try StoreFixture(.postgres)
        let url = try #require(store.url)
        let failures = Failures()
        // Four threads of their own (the sessions block): they race for the advisory lock.
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let session = try PostgresSession(url: url)
                try PostgresSchema.migrate(session)
                session.close()
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let session = try PostgresSession(url: url)
        defer { session.close() }
        #expect(try PostgresSchema.readVersion(session) == PostgresSchema.currentVersion)
        #expect(try session.query("SELECT COUNT(*) FROM claude_router_schema").first?.int(0) == 1)
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.withLock { list.append(text) } }
    var all: [String] { lock.withLock { list } }
}
