import Testing
import RouterCore

@testable import UsageLedger

@Suite struct TaskQueueTests {
    static func task(_ id: String, client: String = "alice", created: Int64) -> DeferredTask {
        DeferredTask(
            id: id, client: client, createdMillis: created, deadlineMillis: created + 86_400_000, taskType: "summarize",
            model: "claude-haiku-4-5", requestJSON: #"{"model":"claude-haiku-4-5","max_tokens":10,"messages":[]}"#,
            callbackURL: "https://example.com/hook")
    }

    @Test func insertedTasksAreDurableAndReadBack() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let original = Self.task("t1", created: 1000)
        try TaskQueue(path: path, clock: FixedClock(millis: 1000)).insert(original)
        // A new connection (another process after a restart) sees it.
        #expect(try TaskQueue(path: path).task(id: "t1") == original)
        #expect(try TaskQueue(path: path).task(id: "missing") == nil)
    }

    @Test func duplicateIdsAreRejected() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(Self.task("t1", created: 1))
        #expect { try queue.insert(Self.task("t1", created: 2)) } throws: {
            ($0 as? LedgerError)?.code == .invalidInput
        }
    }

    @Test func pendingTasksComeOldestFirstUpToTheLimit() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        for (id, created) in [("c", Int64(30)), ("a", 10), ("b", 20), ("d", 40)] {
            try queue.insert(Self.task(id, client: id == "d" ? "bob" : "alice", created: created))
        }
        #expect(try queue.pendingTasks(limit: 3).map(\.id) == ["a", "b", "c"])
        #expect(try queue.pendingCount(client: "alice") == 3)
        #expect(try queue.pendingCount(client: "bob") == 1)
    }

    @Test func markSubmittedIsAtomic() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"), clock: FixedClock(millis: 500))
        try queue.insert(Self.task("a", created: 1))
        try queue.insert(Self.task("b", created: 2))
        // One unknown task: nothing changes, no batch is recorded.
        #expect {
            try queue.markSubmitted(taskIDs: ["a", "zzz"], batch: BatchRecord(id: "B0", createdMillis: 5))
        } throws: { ($0 as? LedgerError)?.code == .invalidInput }
        #expect(try queue.task(id: "a")?.state == .pending)
        #expect(try queue.batch(id: "B0") == nil)

        try queue.markSubmitted(
            taskIDs: ["a", "b"], batch: BatchRecord(id: "B1", createdMillis: 5), customIDs: ["a": "custom-a"])
        let a = try #require(try queue.task(id: "a"))
        #expect(a.state == .submitted)
        #expect(a.batchID == "B1")
        #expect(a.customID == "custom-a")
        #expect(a.attempts == 1)
        #expect(a.updatedMillis == 500)
        #expect(try queue.task(id: "b")?.customID == "b")
        #expect(try queue.pendingTasks(limit: 10).isEmpty)
        // Already submitted: cannot go into a second batch.
        #expect { try queue.markSubmitted(taskIDs: ["a"], batch: BatchRecord(id: "B2", createdMillis: 6)) } throws: {
            ($0 as? LedgerError)?.code == .invalidInput
        }
    }

    @Test func resultsAreStoredAndFinalTasksStayFinal() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(Self.task("a", created: 1))
        try queue.insert(Self.task("b", created: 2))
        try queue.markSubmitted(taskIDs: ["a", "b"], batch: BatchRecord(id: "B1", createdMillis: 5))
        try queue.storeResult(taskID: "a", state: .succeeded, resultJSON: #"{"id":"msg_1"}"#)
        try queue.storeResult(taskID: "b", state: .failed, error: "errored: invalid_request_error")
        #expect(try queue.task(id: "a")?.resultJSON == #"{"id":"msg_1"}"#)
        #expect(try queue.task(id: "b")?.error == "errored: invalid_request_error")
        #expect { try queue.storeResult(taskID: "a", state: .canceled) } throws: {
            ($0 as? LedgerError)?.code == .invalidInput
        }
        #expect { try queue.storeResult(taskID: "nope", state: .canceled) } throws: {
            ($0 as? LedgerError)?.code == .notFound
        }
    }

    @Test func tasksOfUnfinishedBatchesAreFoundAfterARestart() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        do {
            let queue = try TaskQueue(path: path)
            for (id, created) in [("a", Int64(1)), ("b", 2), ("c", 3), ("d", 4)] {
                try queue.insert(Self.task(id, created: created))
            }
            try queue.markSubmitted(taskIDs: ["a", "b"], batch: BatchRecord(id: "B1", createdMillis: 5))
            try queue.markSubmitted(taskIDs: ["c"], batch: BatchRecord(id: "B2", createdMillis: 6))
            try queue.updateBatch(id: "B1", upstreamBatchID: "msgbatch_1", state: .inProgress, submittedMillis: 7)
            try queue.updateBatch(id: "B2", state: .ended, endedMillis: 9)
            #expect { try queue.updateBatch(id: "B9", state: .ended) } throws: {
                ($0 as? LedgerError)?.code == .notFound
            }
        }
        let restarted = try TaskQueue(path: path)
        #expect(try restarted.tasksOfUnfinishedBatches().map(\.id) == ["a", "b"])
        #expect(try restarted.batch(id: "B1")?.upstreamBatchID == "msgbatch_1")
        #expect(try restarted.batch(id: "B1")?.submittedMillis == 7)
        #expect(try restarted.unfinishedCount(client: "alice") == 4)  // a, b, c submitted; d pending
        // Putting a task back to pending releases it from its batch for repacking.
        try restarted.storeResult(taskID: "a", state: .pending)
        #expect(try restarted.pendingTasks(limit: 10).map(\.id) == ["a", "d"])
        #expect(try restarted.task(id: "a")?.batchID == nil)
    }

    @Test func theQueueSharesTheFileWithTheLedger() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let ledger = try Ledger.test(path)
        let queue = try TaskQueue(path: path)
        try queue.insert(Self.task("a", created: 1))
        await ledger.record(Rows.request(at: Rows.november1))
        try await ledger.close()
        #expect(try countRows(path) == 1)
        #expect(try countRows(path, table: "tasks") == 1)
    }
}

@Suite struct TaskQueueSchedulingTests {
    static func row(_ requestID: String) -> UsageRecord {
        UsageRecord(
            timestampMillis: 5000, requestID: requestID, client: "alice", taskType: "summarize",
            modelRequested: "auto", modelUsed: "claude-haiku-4-5", tier: "haiku", mode: .batch, status: 200,
            usage: TokenUsage(input: 100, output: 10), cost: Money(nanoUSD: 60_000),
            baselineCost: Money(nanoUSD: 120_000), savedByBatching: Money(nanoUSD: 60_000))
    }

    @Test func aResultIsStoredOnceWithItsLedgerRowInTheSameTransaction() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let queue = try TaskQueue(path: path, clock: FixedClock(millis: 2000))
        try queue.insert(TaskQueueTests.task("t1", created: 1000))
        try queue.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        #expect(try queue.batch(id: "b1")?.taskCount == 1)
        let first = try queue.complete(
            taskID: "t1", batchID: "b1", state: .succeeded, resultJSON: "{}", costNano: 60_000, usage: [Self.row("r1")])
        let again = try queue.complete(
            taskID: "t1", batchID: "b1", state: .succeeded, resultJSON: "{}", costNano: 60_000, usage: [Self.row("r1")])
        #expect(first)
        #expect(!again)
        let rows = try ReportReader(path: path).usageRows()
        #expect(rows.count == 1)
        #expect(rows.first?.savedByBatching == Money(nanoUSD: 60_000))
        let task = try #require(try queue.task(id: "t1"))
        #expect(task.state == .succeeded)
        #expect(task.costNano == 60_000)
        // It has a callback URL: the delivery is due at once.
        #expect(task.callbackState == .pending)
        #expect(try queue.dueCallbacks(nowMillis: 2000, limit: 10).map(\.id) == ["t1"])
        try queue.recordCallback(taskID: "t1", state: .delivered, attempts: 1, nextMillis: nil)
        #expect(try queue.dueCallbacks(nowMillis: 9999, limit: 10).isEmpty)
    }

    @Test func aResultForAnotherBatchIsIgnored() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(TaskQueueTests.task("t1", created: 1000))
        try queue.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        #expect(try !queue.complete(taskID: "t1", batchID: "other", state: .succeeded, resultJSON: "{}"))
        #expect(try queue.task(id: "t1")?.state == .submitted)
    }

    @Test func releasingABatchThatNeverReachedTheAPIRefundsTheAttempt() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(TaskQueueTests.task("t1", created: 1000))
        try queue.insert(TaskQueueTests.task("t2", created: 1001))
        try queue.markSubmitted(taskIDs: ["t1", "t2"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        #expect(try queue.batches(in: [.submitting]).map(\.id) == ["b1"])
        #expect(try queue.releaseBatch(id: "b1") == 2)
        #expect(try queue.batch(id: "b1")?.state == .failed)
        for id in ["t1", "t2"] {
            let task = try #require(try queue.task(id: id))
            #expect(task.state == .pending)
            #expect(task.attempts == 0)
            #expect(task.batchID == nil)
        }
        #expect(try queue.depth() == TaskQueue.Depth(pending: 2, batchesInFlight: 0))
    }

    @Test func aRequeuedTaskKeepsItsAttemptAndTheReason() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(TaskQueueTests.task("t1", created: 1000))
        try queue.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        #expect(try queue.requeue(taskID: "t1", batchID: "b1", error: "batch_expired: late"))
        let task = try #require(try queue.task(id: "t1"))
        #expect(task.state == .pending)
        #expect(task.attempts == 1)
        #expect(task.error == "batch_expired: late")
        #expect(try queue.pendingSummary().count == 1)
        #expect(try queue.pendingSummary().oldestCreatedMillis == 1000)
    }

    @Test func onlyTheOwnerCancelsAndOnlyWhilePending() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(TaskQueueTests.task("t1", created: 1000))
        #expect(try !queue.cancelPending(taskID: "t1", client: "mallory"))
        #expect(try queue.cancelPending(taskID: "t1", client: "alice"))
        #expect(try queue.task(id: "t1")?.state == .canceled)
        #expect(try !queue.cancelPending(taskID: "t1", client: "alice"))
    }
}

@Suite struct TaskQueueRunTests {
    static func task(_ id: String, created: Int64, deadline: Int64? = nil, headers: String = "") -> DeferredTask {
        var task = TaskQueueTests.task(id, created: created)
        task.deadlineMillis = deadline
        task.headers = headers
        return task
    }

    @Test func pendingTasksAreGroupedByHeaderSetAndNearDeadlinesAreLeftOut() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(Self.task("a", created: 10, headers: "anthropic-beta: x"))
        try queue.insert(Self.task("b", created: 20))
        try queue.insert(Self.task("c", created: 30, headers: "anthropic-beta: x"))
        try queue.insert(Self.task("near", created: 5, deadline: 1_000))
        let groups = try queue.pendingGroups(deadlineNotBefore: 2_000)
        #expect(groups.map(\.headers) == ["anthropic-beta: x", ""])
        #expect(groups.map(\.count) == [2, 1])
        #expect(groups.map(\.oldestCreatedMillis) == [10, 20])
        #expect(try queue.pendingTasks(limit: 10, headers: "anthropic-beta: x", deadlineNotBefore: 2_000).map(\.id) == ["a", "c"])
        #expect(try queue.pendingTasks(limit: 10, headers: "", deadlineNotBefore: 2_000).map(\.id) == ["b"])
        #expect(try queue.pendingTasks(limit: 10, headers: "").map(\.id) == ["near", "b"])
        #expect(try queue.pendingTasks(deadlineBefore: 2_000, limit: 10).map(\.id) == ["near"])
        #expect(try TaskQueue(path: directory.path("ledger.sqlite")).task(id: "a")?.headers == "anthropic-beta: x")
    }

    @Test func aRunTakesAPendingTaskOnceAndStoresItsOutcomeOnce() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"), clock: FixedClock(millis: 3000))
        try queue.insert(Self.task("t1", created: 1000, deadline: 2000))
        let started = try #require(try queue.startRun(taskID: "t1"))
        #expect(started.state == .running)
        #expect(started.attempts == 1)
        #expect(try queue.startRun(taskID: "t1") == nil)
        #expect(try queue.unfinishedCount(client: "alice") == 1)
        #expect(try !queue.cancelPending(taskID: "t1", client: "alice"))
        #expect(try queue.finishRun(taskID: "t1", state: .succeeded, resultJSON: "{}", costNano: 42))
        #expect(try !queue.finishRun(taskID: "t1", state: .failed, error: "api_error: late"))
        let task = try #require(try queue.task(id: "t1"))
        #expect(task.state == .succeeded)
        #expect(task.costNano == 42)
        #expect(task.callbackState == .pending)
    }

    @Test func runsNoLiveProcessOwnsGoBackToPending() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        for id in ["a", "b"] {
            try queue.insert(Self.task(id, created: 1000))
            _ = try queue.startRun(taskID: id)
        }
        #expect(try queue.releaseRuns(keeping: ["a"]) == 1)
        #expect(try queue.task(id: "a")?.state == .running)
        let released = try #require(try queue.task(id: "b"))
        #expect(released.state == .pending)
        #expect(released.attempts == 1)
        #expect(try queue.releaseRuns(keeping: []) == 1)
    }

    @Test func aFailedAttemptsRowsCommitWithTheTaskChangeAndOnlyThen() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        let queue = try TaskQueue(path: path)
        try queue.insert(Self.task("t1", created: 1000))
        try queue.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        var row = TaskQueueSchedulingTests.row("r1")
        row.kind = .attempt
        row.usage = .zero
        row.cost = .zero
        row.errorType = "batch_expired"
        #expect(try queue.requeue(taskID: "t1", batchID: "b1", error: "batch_expired: late", usage: [row]))
        #expect(try !queue.requeue(taskID: "t1", batchID: "b1", error: "batch_expired: late", usage: [row]))
        #expect(try ReportReader(path: path).usageRows().count == 1)
        #expect(try queue.failPending(taskID: "t1", error: "deadline", usage: [row]))
        #expect(try !queue.failPending(taskID: "t1", error: "deadline", usage: [row]))
        #expect(try ReportReader(path: path).usageRows().count == 2)
        #expect(try queue.task(id: "t1")?.state == .failed)
    }

    @Test func aBatchNoteIsStoredAndCleared() throws {
        let directory = TemporaryDirectory()
        let queue = try TaskQueue(path: directory.path("ledger.sqlite"))
        try queue.insert(Self.task("t1", created: 1000))
        try queue.markSubmitted(taskIDs: ["t1"], batch: BatchRecord(id: "b1", createdMillis: 1500))
        try queue.noteBatch(id: "b1", note: "results_url refused")
        #expect(try queue.batch(id: "b1")?.note == "results_url refused")
        try queue.noteBatch(id: "b1", note: nil)
        #expect(try queue.batch(id: "b1")?.note == nil)
    }
}
