import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Synchronization
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Synchronous runs: a task whose deadline no longer leaves room for another batch goes through the normal pipeline.
@Suite struct BatchRunTests {
    func finishUpstream(_ env: BatchHarness.Env) {
        (env.simulator.clock as? SteppedClock)?.advance(by: 61)
    }

    /// A pending task with a deadline `seconds` from `now`, inserted straight into the queue.
    func nearTask(_ id: String, now: Int64, seconds: Int64, attempts: Int = 0, error: String? = nil) -> DeferredTask {
        DeferredTask(
            id: id, client: "dev", createdMillis: now, deadlineMillis: now + seconds * 1000,
            taskType: "classification", model: "claude-haiku-4-5",
            requestJSON: #"{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#,
            attempts: attempts, error: error)
    }

    /// Waits (bounded) until `condition` holds.
    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        #expect(condition())
    }

    @Test func aRetryWhoseDeadlineLeavesNoRoomForABatchRunsSynchronouslyAndIsCalledBack() async throws {
        let harness = try BatchHarness()  // min_deadline_seconds: 3600
        let receiver = CallbackReceiver()
        try await receiver.run { baseURL in
            try await harness.run { env in
                // Deferred: the deadline is just over min_deadline_seconds away.
                let id = try await env.deferTask(extra: #","deadline":3700,"callback_url":"\#(baseURL)/hook""#)
                env.simulator.batches.addRule(.init(prefix: id, outcome: "expired", remaining: 1))
                let scheduler = env.scheduler()
                #expect(await scheduler.tick(nowMillis: env.now()).submitted.count == 1)
                finishUpstream(env)
                // Ten minutes on the request has expired: 3100 s are left, less than a batch may take. It runs now.
                let report = await scheduler.tick(nowMillis: env.now(plus: 600))
                #expect(report.retried == 1)
                #expect(report.runsStarted == 1)
                #expect(report.submitted.isEmpty)
                await scheduler.drainRuns()

                let task = try await env.getTask(id)
                #expect(task.json["status"] == "succeeded")
                #expect(task.json["attempts"] == 2)
                #expect(task.json["result"]?["type"] == "message")
                #expect(task.json["result"]?["usage"]?["service_tier"] != "batch")
                #expect(env.upstreamBatches().count == 1)  // no second batch

                // The expired batch attempt is in the ledger file (not billed); the run went through the service's
                // recorder like any synchronous request, counting the batch attempt as a retry.
                let batchRows = try env.ledgerRows()
                #expect(batchRows.count == 1)
                #expect(batchRows.first?.kind == .attempt)
                #expect(batchRows.first?.errorType == "batch_expired")
                let syncRows = env.recorder.all
                let request = try #require(syncRows.first { $0.kind == .request })
                #expect(request.mode == .sync)
                #expect(request.status == 200)
                #expect(request.retries == 1)
                #expect(request.deferral == "deferred:background")
                #expect(request.requestID == batchRows.first?.requestID)
                #expect(request.cost > .zero)
                #expect(syncRows.filter { $0.kind == .attempt }.map(\.attempt) == [2])
                #expect(task.json["cost_usd"]?.stringValue == request.cost.exactDollars)
                let totals = (batchRows + syncRows).reduce(into: ReportTotals()) { $0.add($1) }
                #expect(totals.requests == 1)
                #expect(totals.errors == 0)
                #expect(totals.retries == 1)
                #expect(totals.attempts == 2)

                #expect(await scheduler.tick(nowMillis: env.now(plus: 601)).callbacksDelivered == 1)
                #expect(receiver.bodies.first?["id"]?.stringValue == id)
                #expect(receiver.bodies.first?["status"] == "succeeded")
            }
        }
    }

    @Test func thePolicysMaxSyncRunsBoundsRunsWhenNoOverrideIsGiven() async throws {
        let harness = try BatchHarness(policy: BatchHarness.policy(["max_sync_runs": "3"]))
        try await harness.run { env in
            let now = env.now()
            let ids = (0..<5).map { "task_policy\($0)" }
            for id in ids { try env.store.queue.insert(nearTask(id, now: now, seconds: 600)) }
            let runner = GatedRunner()
            defer { runner.open() }
            let scheduler = env.scheduler(runner: runner)
            #expect(await scheduler.tick(nowMillis: now).runsStarted == 3)
            try await waitUntil { runner.running == 3 }
            #expect(await scheduler.tick(nowMillis: now + 1000).runsStarted == 0)
            runner.open()
            await scheduler.drainRuns()
        }
    }

    @Test func synchronousRunsAreBoundedAndTheRestWaitTheirTurn() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let now = env.now()
            let ids = (0..<5).map { "task_near\($0)" }
            for id in ids { try env.store.queue.insert(nearTask(id, now: now, seconds: 600)) }
            let runner = GatedRunner()
            defer { runner.open() }
            let scheduler = env.scheduler(runner: runner, maxConcurrentRuns: 2)
            let first = await scheduler.tick(nowMillis: now)
            #expect(first.runsStarted == 2)
            #expect(first.submitted.isEmpty)  // too close to their deadline for a batch
            try await waitUntil { runner.running == 2 }
            #expect(await scheduler.tick(nowMillis: now + 1000).runsStarted == 0)
            #expect(scheduler.runsInFlight == 2)
            let states = try ids.map { try env.store.queue.task(id: $0)?.state }
            #expect(states.filter { $0 == .running }.count == 2)
            #expect(states.filter { $0 == .pending }.count == 3)
            #expect(try await env.getTask(ids[0]).json["status"] == "running")

            runner.open()
            for round in 0..<5 {
                await scheduler.drainRuns()
                await scheduler.tick(nowMillis: now + 2000 + Int64(round) * 1000)
            }
            await scheduler.drainRuns()
            #expect(runner.most == 2)
            #expect(runner.started.sorted() == ids)
            for id in ids {
                let task = try #require(try env.store.queue.task(id: id))
                #expect(task.state == .succeeded)
                #expect(task.attempts == 1)
                #expect(task.costNano == 7)
            }
            #expect(env.upstreamBatches().isEmpty)
        }
    }

    @Test func aTaskWhoseDeadlinePassedWhileWaitingFailsWithTheReason() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let now = env.now()
            try env.store.queue.insert(
                nearTask("task_late", now: now - 7_200_000, seconds: 3_600, attempts: 1, error: "api_error: overloaded")
            )
            let runner = GatedRunner()
            defer { runner.open() }
            let report = await env.scheduler(runner: runner).tick(nowMillis: now)
            #expect(report.failed == 1)
            #expect(runner.started.isEmpty)
            let task = try await env.getTask("task_late")
            #expect(task.json["status"] == "failed")
            #expect(task.json["error"]?["type"] == "api_error")
            #expect(task.json["error"]?["message"]?.stringValue?.contains("the deadline has passed") == true)
            let rows = try env.ledgerRows()
            #expect(rows.count == 1)
            #expect(rows.first?.kind == .request)
            #expect(rows.first?.errorType == "api_error")
            #expect(rows.first?.cost == .zero)
        }
    }

    @Test func aRunInterruptedByAStopGoesBackToPendingAndRunsAgainOnce() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let now = env.now()
            try env.store.queue.insert(nearTask("task_cut", now: now, seconds: 600))
            // The first process starts the run and stops before it ends.
            let stalled = GatedRunner()
            defer { stalled.open() }
            let first = env.scheduler(runner: stalled)
            #expect(await first.tick(nowMillis: now).runsStarted == 1)
            try await waitUntil { stalled.running == 1 }
            #expect(try env.store.queue.task(id: "task_cut")?.state == .running)

            // The next process finds it running with no live run: back to pending, and run again.
            let runner = GatedRunner()
            runner.open()
            let second = env.scheduler(runner: runner)
            let report = await second.tick(nowMillis: now + 1000)
            #expect(report.runsReleased == 1)
            #expect(report.runsStarted == 1)
            await second.drainRuns()
            let task = try #require(try env.store.queue.task(id: "task_cut"))
            #expect(task.state == .succeeded)
            #expect(task.attempts == 2)  // the interrupted run may have reached the API: it counts
            // Its own later ticks leave it alone.
            #expect(await second.tick(nowMillis: now + 2000).runsReleased == 0)

            // The stalled run ending late changes nothing.
            stalled.open()
            await first.drainRuns()
            #expect(try env.store.queue.task(id: "task_cut")?.state == .succeeded)
            #expect(runner.started == ["task_cut"])
        }
    }

    @Test func aRunCarriesTheTasksBetaHeaderAndItsOriginalRouting() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let response = try await env.client.post(
                "/v1/tasks",
                json:
                    #"{"task_type":"classification","priority":"background","deadline":7200,"messages":[{"role":"user","content":"Classify: fine"}]}"#,
                headers: [HTTPField.Name("anthropic-beta")!: "zeta-1, alpha-2"])
            #expect(response.status == .accepted)
            let id = try #require(response.json["id"]?.stringValue)
            let task = try #require(try env.store.queue.task(id: id))
            let meta = TaskMeta(text: task.metaJSON)
            let call = try env.service.taskRunner.routedCall(for: task, meta: meta, arrival: .now)
            #expect(call.forwardedHeaders.contains { $0.name == "anthropic-beta" && $0.value == "alpha-2,zeta-1" })
            #expect(call.forwardedHeaders.contains { $0.name == "anthropic-version" && $0.value == "2023-06-01" })
            #expect(call.decision.model == task.model)
            #expect(call.decision.requestedModel == meta.routing.requestedModel)
            #expect(call.decision.baselineModel == meta.routing.baselineModel)
            #expect(call.requestID == meta.requestID)
        }
    }
}

/// A runner that answers from a script: each entry is one run's outcome, in order.
final class ScriptedRunner: DeferredTaskRunner {
    let script: Mutex<[TaskRunOutcome]>

    init(_ script: [TaskRunOutcome]) {
        self.script = Mutex(script)
    }

    func runNow(_ task: DeferredTask) async -> TaskRunOutcome {
        script.withLock {
            $0.isEmpty ? TaskRunOutcome(resultJSON: nil, error: "api_error: unscripted", costNano: 0) : $0.removeFirst()
        }
    }
}

@Suite struct BatchRunRetryTests {
    @Test func aRunThatMayPassIsRunAgainAndOneThatCannotFails() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let now = env.now()
            try env.store.queue.insert(BatchRunTests().nearTask("task_flaky", now: now, seconds: 600))
            let runner = ScriptedRunner([
                TaskRunOutcome(resultJSON: nil, error: "overloaded_error: Overloaded", costNano: 0, retry: true),
                TaskRunOutcome(resultJSON: #"{"type":"message"}"#, error: nil, costNano: 11),
            ])
            let scheduler = env.scheduler(runner: runner)
            #expect(await scheduler.tick(nowMillis: now).runsStarted == 1)
            await scheduler.drainRuns()
            let waiting = try #require(try env.store.queue.task(id: "task_flaky"))
            #expect(waiting.state == .pending)
            #expect(waiting.error == "overloaded_error: Overloaded")
            #expect(await scheduler.tick(nowMillis: now + 1000).runsStarted == 1)
            await scheduler.drainRuns()
            let done = try #require(try env.store.queue.task(id: "task_flaky"))
            #expect(done.state == .succeeded)
            #expect(done.attempts == 2)
            #expect(done.costNano == 11)
        }
    }

    @Test(arguments: [0, 2])
    func aRunToBeRetriedIsRecordedAsAttemptsOnly(prior: Int) {
        let row = UsageRecord(
            timestampMillis: 1, requestID: "rtr_x", client: "dev", taskType: "t", modelRequested: "auto",
            modelUsed: "m", tier: "haiku", mode: .sync, status: 529, errorType: "overloaded_error")
        var rows = [row]
        TaskRunner.countPriorAttempts(prior, in: &rows)
        let attempts = TaskRunner.attemptsOnly(rows, prior: prior)
        #expect(attempts.count == 1)
        #expect(attempts.allSatisfy { $0.kind == .attempt })
        #expect(attempts.first?.attempt == prior + 1)
        let totals = attempts.reduce(into: ReportTotals()) { $0.add($1) }
        #expect(totals.requests == 0)
        #expect(totals.attempts == 1)
    }
}
