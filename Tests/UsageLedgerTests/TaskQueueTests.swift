import Testing

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
