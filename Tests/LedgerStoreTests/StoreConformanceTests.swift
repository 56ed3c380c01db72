import Foundation
import RouterCore
import Testing
@testable import UsageLedger

/// One suite, both stores: what the service relies on from a ledger and a task queue, checked on SQLite (the
/// embedded default) and on PostgreSQL (the shared store of several replicas) alike.
@Suite struct StoreConformanceTests {
    @Test(.enabled(if: PostgresEnvironment.required))
    func postgresIsReachableWhenCIRequiresIt() {
        #expect(PostgresEnvironment.unreachableReason == nil, "\(PostgresEnvironment.unreachableReason ?? "")")
    }

    // MARK: Ledger rows, rollup, report, spend

    @Test(arguments: StoreKind.available)
    func everyRecordedRowIsReportedOnceWithTheSameSumsFromRollupAndRawRows(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        let clock = TestClock(Rows.now)
        let ledger = try store.ledger(clock: clock)
        var rows: [UsageRecord] = []
        for index in 0..<2_500 {
            let day = Int64(index % 3) * UTCDay.millis
            rows.append(
                Rows.request(
                    at: Rows.now - day - Int64(index), client: ["alice", "bob"][index % 2],
                    taskType: ["chat", "code", "summarize"][index % 3],
                    model: ["claude-haiku-4-5", "claude-sonnet-4-6"][index % 2], cost: Int64(1_000 + index),
                    status: index % 50 == 0 ? 529 : 200))
            if index % 10 == 0 { rows.append(Rows.request(at: Rows.now - day, kind: .attempt, id: "a\(index)")) }
        }
        for row in rows { await ledger.record(row) }
        try await ledger.flush()
        try await ledger.close()

        let reader = try store.reader()
        let since = UTCDay(containingMillis: Rows.now).number - 5
        let query = ReportQuery(
            sinceMillis: UTCDay(number: since).startMillis, untilMillis: UTCDay(number: since + 10).startMillis,
            groupBy: [.model, .day])
        let rollup = try reader.run(query, source: .rollup)
        let raw = try reader.run(query, source: .raw)
        #expect(rollup.rows == raw.rows)
        #expect(rollup.rows.count == 6)
        let requests = rows.filter { $0.kind == .request }
        #expect(rollup.total.requests == Int64(requests.count))
        #expect(rollup.total.attempts == Int64(rows.count - requests.count))
        #expect(rollup.total.errors == Int64(requests.filter { $0.status >= 400 }.count))
        #expect(rollup.total.cost.nanoUSD == requests.reduce(0) { $0 + $1.cost.nanoUSD })
        #expect(rollup.total.usage.cacheRead == Int64(requests.count) * 300)
        #expect(rollup.total.webSearchCost.nanoUSD == Int64(requests.count) * 10_000_000)
        #expect(try reader.usageRows(sinceMillis: nil, untilMillis: nil).count == rows.count)
    }

    @Test(arguments: StoreKind.available)
    func aStoredRowReadsBackFieldForField(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        let ledger = try store.ledger(clock: TestClock(Rows.now))
        var row = Rows.request(status: 529, kind: .attempt, id: "req-full")
        row.difficulty = "hard"
        row.usageEstimated = true
        await ledger.record(row)
        try await ledger.close()
        let read = try store.reader().usageRows(sinceMillis: nil, untilMillis: nil)
        #expect(read == [row])
    }

    @Test(arguments: StoreKind.available)
    func spendCountsRequestRowsOfTodayAndThisMonthAndSurvivesAReopen(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        let clock = TestClock(Rows.now)
        let ledger = try store.ledger(clock: clock)
        await ledger.record(Rows.request(cost: 1_000))
        await ledger.record(Rows.request(taskType: "code", cost: 20))
        await ledger.record(Rows.request(at: Rows.now - 3 * UTCDay.millis, cost: 300))
        await ledger.record(Rows.request(at: Rows.now - 40 * UTCDay.millis, cost: 50_000))
        await ledger.record(Rows.request(cost: 7, kind: .attempt))
        await ledger.record(Rows.request(client: "bob", cost: 9))
        #expect(ledger.spend(client: "alice") == (Money(nanoUSD: 1_020), Money(nanoUSD: 1_320)))
        #expect(ledger.spend(client: "alice", taskType: "code") == (Money(nanoUSD: 20), Money(nanoUSD: 20)))
        try await ledger.close()

        let reopened = try store.ledger(clock: clock)
        #expect(reopened.spend(client: "alice") == (Money(nanoUSD: 1_020), Money(nanoUSD: 1_320)))
        #expect(reopened.spend(client: "bob") == (Money(nanoUSD: 9), Money(nanoUSD: 9)))
        // Rows the task queue commits with a batch result reach the budgets as part of its commit.
        let queue = try store.queue(clock: clock, accounting: reopened)
        try queue.insertClientBatch(
            ClientBatch(id: "mb", client: "alice", upstreamBatchID: "up", createdMillis: Rows.now, requestCount: 1),
            items: [("x", "{}")])
        _ = try queue.recordClientBatchResults(batchID: "mb", [("x", [Rows.request(cost: 5)])])
        #expect(reopened.spend(client: "alice").day == Money(nanoUSD: 1_025))
        // Read again, the result records nothing and adds nothing.
        #expect(try queue.recordClientBatchResults(batchID: "mb", [("x", [Rows.request(cost: 5)])]).isEmpty)
        #expect(reopened.spend(client: "alice").day == Money(nanoUSD: 1_025))
        try await reopened.close()
        #expect(try store.reader().spendTotals(today: UTCDay(containingMillis: Rows.now))
            .spend(client: "alice", today: UTCDay(containingMillis: Rows.now)).month == Money(nanoUSD: 1_325))
    }

    @Test(arguments: StoreKind.available)
    func aStoreWrittenByANewerBuildIsRefused(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        try await store.ledger(clock: TestClock(Rows.now)).close()
        try store.pretendNewerSchema()
        #expect(throws: LedgerError.self) { _ = try store.ledger(clock: TestClock(Rows.now)) }
        do {
            _ = try store.queue(clock: TestClock(Rows.now))
            Issue.record("a newer schema was opened")
        } catch let error as LedgerError {
            #expect(error.code == .newerSchema)
        }
        do {
            _ = try store.reader()
            Issue.record("a newer schema was read")
        } catch let error as LedgerError {
            #expect(error.code == .newerSchema)
        }
    }

    // MARK: Tasks and batches

    @Test(arguments: StoreKind.available)
    func aTaskIsStoredOnceAndReadBackAsInserted(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        let task = Rows.task("t1", deadline: Rows.now + 60_000, headers: "anthropic-beta: x", callback: "https://cb")
        try queue.insert(task)
        #expect(try queue.task(id: "t1") == task)
        #expect(throws: LedgerError.self) { try queue.insert(task) }
        #expect(try queue.task(id: "nope") == nil)
        #expect(try queue.unfinishedCount(client: "alice") == 1)
        #expect(try queue.pendingCount(client: "alice") == 1)
        #expect(try queue.unfinishedTasks().map(\.id) == ["t1"])
    }

    @Test(arguments: StoreKind.available)
    func aResultIsStoredWithItsLedgerRowExactlyOnce(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        let clock = TestClock(Rows.now)
        let queue = try store.queue(clock: clock)
        for id in ["a", "b", "c"] { try queue.insert(Rows.task(id, created: Rows.now + Int64(id.unicodeScalars.first!.value))) }
        #expect(try queue.pendingTasks(limit: 2).map(\.id) == ["a", "b"])
        try queue.markSubmitted(
            taskIDs: ["a", "b"], batch: BatchRecord(id: "rb1", createdMillis: Rows.now), customIDs: ["a": "ca"])
        #expect(try queue.task(id: "a")?.state == .submitted)
        #expect(try queue.task(id: "a")?.customID == "ca")
        #expect(try queue.batch(id: "rb1")?.taskCount == 2)
        try queue.updateBatch(id: "rb1", upstreamBatchID: "msgbatch_1", state: .inProgress, submittedMillis: Rows.now)
        #expect(try queue.batch(id: "rb1")?.upstreamBatchID == "msgbatch_1")
        #expect(try queue.tasksOfUnfinishedBatches().map(\.id) == ["a", "b"])
        #expect(try queue.depth() == TaskQueue.Depth(pending: 1, batchesInFlight: 1))

        let row = Rows.request(id: "req-a")
        #expect(
            try queue.complete(
                taskID: "a", batchID: "rb1", state: .succeeded, resultJSON: "{}", costNano: 500, usage: [row]))
        #expect(
            !(try queue.complete(
                taskID: "a", batchID: "rb1", state: .succeeded, resultJSON: "{}", costNano: 500, usage: [row])))
        #expect(try queue.task(id: "a")?.state == .succeeded)
        #expect(try queue.task(id: "a")?.costNano == 500)
        #expect(try queue.requeue(taskID: "b", batchID: "rb1", error: "expired", refund: true, usage: []))
        #expect(try queue.task(id: "b")?.attempts == 0)
        #expect(try queue.task(id: "b")?.state == .pending)
        #expect(try queue.submittedTasks(inBatch: "rb1").isEmpty)
        #expect(try store.reader().usageRows(sinceMillis: nil, untilMillis: nil).map(\.requestID) == ["req-a"])
    }

    @Test(arguments: StoreKind.available)
    func aBatchTakesEveryTaskOrNone(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        try queue.insert(Rows.task("a"))
        try queue.insert(Rows.task("b"))
        try queue.markSubmitted(taskIDs: ["a"], batch: BatchRecord(id: "rb1", createdMillis: Rows.now))
        #expect(throws: LedgerError.self) {
            try queue.markSubmitted(taskIDs: ["b", "a"], batch: BatchRecord(id: "rb2", createdMillis: Rows.now))
        }
        #expect(try queue.batch(id: "rb2") == nil)
        #expect(try queue.task(id: "b")?.state == .pending)
        #expect(try queue.releaseBatch(id: "rb1") == 1)
        #expect(try queue.task(id: "a")?.state == .pending)
        #expect(try queue.batch(id: "rb1")?.state == .failed)
    }

    @Test(arguments: StoreKind.available)
    func pendingWorkIsGroupedByHeadersAndDeadlines(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        try queue.insert(Rows.task("a", created: Rows.now))
        try queue.insert(Rows.task("b", created: Rows.now + 1, headers: "beta"))
        try queue.insert(Rows.task("c", created: Rows.now + 2, deadline: Rows.now + 5_000))
        let groups = try queue.pendingGroups(deadlineNotBefore: Rows.now + 10_000)
        #expect(groups.map(\.headers) == ["", "beta"])
        #expect(groups.map(\.count) == [1, 1])
        #expect(try queue.pendingGroups().first?.count == 2)
        #expect(try queue.pendingTasks(limit: 10, headers: "beta", deadlineNotBefore: nil).map(\.id) == ["b"])
        #expect(try queue.pendingTasks(deadlineBefore: Rows.now + 10_000, limit: 10).map(\.id) == ["c"])
        #expect(try queue.pendingSummary().count == 3)
        #expect(try queue.pendingSummary().earliestDeadlineMillis == Rows.now + 5_000)
    }

    @Test(arguments: StoreKind.available)
    func aRunIsStartedOnceFinishedOnceAndReleasedWhenOrphaned(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        for id in ["a", "b", "c"] { try queue.insert(Rows.task(id, callback: id == "a" ? "https://cb" : nil)) }
        #expect(try queue.startRun(taskID: "a")?.state == .running)
        #expect(try queue.startRun(taskID: "a") == nil)
        #expect(try queue.finishRun(taskID: "a", state: .succeeded, resultJSON: "{}", error: nil, costNano: 9))
        #expect(!(try queue.finishRun(taskID: "a", state: .succeeded, resultJSON: "{}", error: nil, costNano: 9)))
        #expect(try queue.task(id: "a")?.callbackState == .pending)
        _ = try queue.startRun(taskID: "b")
        #expect(try queue.requeueRun(taskID: "b", error: "overloaded"))
        #expect(try queue.task(id: "b")?.attempts == 1)
        _ = try queue.startRun(taskID: "b")
        _ = try queue.startRun(taskID: "c")
        #expect(try queue.releaseRuns(keeping: ["c"]) == 1)
        #expect(try queue.task(id: "b")?.state == .pending)
        #expect(try queue.task(id: "c")?.state == .running)
        #expect(try queue.failPending(taskID: "b", error: "deadline passed", usage: [Rows.request(id: "req-b")]))
        #expect(try queue.cancelPending(taskID: "c", client: "alice") == false)
        #expect(try store.reader().usageRows(sinceMillis: nil, untilMillis: nil).count == 1)
    }

    @Test(arguments: StoreKind.available)
    func aDueCallbackIsHandedOutAndItsOutcomeKept(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        try queue.insert(Rows.task("a", callback: "https://cb"))
        _ = try queue.startRun(taskID: "a")
        _ = try queue.finishRun(taskID: "a", state: .failed, resultJSON: nil, error: "x", costNano: nil)
        #expect(try queue.dueCallbacks(nowMillis: Rows.now, limit: 10).map(\.id) == ["a"])
        try queue.recordCallback(taskID: "a", state: .delivered, attempts: 1, nextMillis: nil)
        #expect(try queue.dueCallbacks(nowMillis: Rows.now + 3_600_000, limit: 10).isEmpty)
        #expect(try queue.task(id: "a")?.callbackState == .delivered)
        #expect(try queue.cancelPending(taskID: "a", client: "alice") == false)
    }

    @Test(arguments: StoreKind.available)
    func aClientBatchIsOwnedPagedAndItsResultsRecordedOnce(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        for index in 0..<5 {
            try queue.insertClientBatch(
                ClientBatch(
                    id: "mb\(index)", client: "alice", upstreamBatchID: "up\(index)",
                    createdMillis: Rows.now + Int64(index), requestCount: 2),
                items: [("x", #"{"m":1}"#), ("y", #"{"m":2}"#)])
        }
        #expect(throws: LedgerError.self) {
            try queue.insertClientBatch(
                ClientBatch(id: "mb0", client: "alice", upstreamBatchID: "upX", createdMillis: Rows.now, requestCount: 0),
                items: [])
        }
        #expect(try queue.clientBatch(id: "mb1", client: "bob") == nil)
        #expect(try queue.clientBatch(id: "mb1", client: "alice")?.upstreamBatchID == "up1")
        #expect(try queue.clientBatches(client: "alice", afterID: nil, beforeID: nil, limit: 2).map(\.id)
            == ["mb4", "mb3", "mb2"])
        #expect(try queue.clientBatches(client: "alice", afterID: "mb3", beforeID: nil, limit: 2).map(\.id)
            == ["mb2", "mb1", "mb0"])
        #expect(try queue.clientBatches(client: "alice", afterID: nil, beforeID: "mb1", limit: 2).map(\.id)
            == ["mb4", "mb3", "mb2"])
        #expect(try queue.clientBatchUpstreamIDs().count == 5)
        #expect(try queue.unrecordedItems(batchID: "mb0", customIDs: ["x", "y", "z"]) == ["x": #"{"m":1}"#, "y": #"{"m":2}"#])
        let first = try queue.recordClientBatchResults(batchID: "mb0", [("x", [Rows.request(id: "rx")])])
        let again = try queue.recordClientBatchResults(
            batchID: "mb0", [("x", [Rows.request(id: "rx")]), ("y", [Rows.request(id: "ry")])])
        #expect(first.map(\.requestID) == ["rx"])
        #expect(again.map(\.requestID) == ["ry"])
        #expect(try queue.unrecordedItems(batchID: "mb0", customIDs: ["x", "y"]).isEmpty)
        #expect(try queue.deleteClientBatch(id: "mb0", client: "alice"))
        #expect(!(try queue.deleteClientBatch(id: "mb0", client: "alice")))
        #expect(try queue.clientBatch(id: "mb0", client: "alice") == nil)
        #expect(try store.reader().usageRows(sinceMillis: nil, untilMillis: nil).count == 2)
    }

    @Test(arguments: StoreKind.available)
    func spilledResultsAreReadByTheirClientAndExpire(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        try queue.spillResults([("r1", "alice", Rows.now, "one"), ("r2", "alice", Rows.now - 10, "two")], expireBeforeMillis: 0)
        #expect(try queue.spilledResult(id: "r1", client: "alice") == "one")
        #expect(try queue.spilledResult(id: "r1", client: "bob") == nil)
        try queue.spillResults([("r1", "alice", Rows.now, "uno")], expireBeforeMillis: Rows.now - 5)
        #expect(try queue.spilledResult(id: "r1", client: "alice") == "uno")
        #expect(try queue.spilledResult(id: "r2", client: "alice") == nil)
    }

    // MARK: Metrics and budget alerts

    @Test(arguments: StoreKind.available)
    func stateCountsCountBatchesByStateAndOnlyUnfinishedTasks(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        for id in ["t1", "t2", "t3", "t4"] { try queue.insert(Rows.task(id)) }
        try queue.markSubmitted(taskIDs: ["t1", "t2"], batch: BatchRecord(id: "rb1", createdMillis: Rows.now))
        _ = try queue.startRun(taskID: "t3")
        _ = try queue.finishRun(taskID: "t3", state: .succeeded, resultJSON: "{}", error: nil, costNano: 1)
        let counts = try queue.stateCounts()
        #expect(counts.unfinishedTasks == ["submitted": 2, "pending": 1])
        #expect(counts.batches == ["submitting": 1])
    }

    @Test(arguments: StoreKind.available)
    func aBudgetAlertIsStoredOnceAndItsDeliveryRecorded(_ kind: StoreKind) throws {
        let store = try StoreFixture(kind)
        let queue = try store.queue(clock: TestClock(Rows.now))
        let day = UTCDay(containingMillis: Rows.now).number
        let alert = TaskQueue.BudgetAlert(
            id: "alice/-/daily/\(day)/soft", client: "alice", taskType: "", period: "daily", periodStartDay: day,
            level: "soft", createdMillis: Rows.now, body: #"{"level":"soft"}"#, nextAttemptMillis: Rows.now)
        #expect(try queue.insertBudgetAlert(alert))
        #expect(try !queue.insertBudgetAlert(alert))
        #expect(try queue.budgetAlertIDs(periodStartFrom: day) == [alert.id])
        #expect(try queue.budgetAlertIDs(periodStartFrom: day + 1).isEmpty)
        #expect(try queue.dueBudgetAlerts(nowMillis: Rows.now - 1, limit: 10).isEmpty)
        #expect(try queue.dueBudgetAlerts(nowMillis: Rows.now, limit: 10).map(\.id) == [alert.id])
        try queue.recordBudgetAlert(id: alert.id, state: .delivered, attempts: 1, nextMillis: nil)
        let read = try #require(try queue.budgetAlert(id: alert.id))
        #expect(read.state == .delivered)
        #expect(read.attempts == 1)
        #expect(read.body == alert.body)
        #expect(try queue.dueBudgetAlerts(nowMillis: Rows.now + 10_000_000, limit: 10).isEmpty)
    }
}
