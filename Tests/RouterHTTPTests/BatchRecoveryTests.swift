import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Stops at each step of a deferred task's life and resumes with a new scheduler on the same database: nothing is
/// lost, nothing is sent or stored twice.
@Suite struct BatchRecoveryTests {
    /// Advances the simulator's manual clock past the batch's processing time.
    func finishUpstream(_ env: BatchHarness.Env) {
        (env.simulator.clock as? SteppedClock)?.advance(by: 61)
    }

    @Test func aTaskAcceptedBeforeACrashIsSentByTheNextProcess() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let id = try await env.deferTask()
            // The first process dies before its scheduler ever ticks.
            let restarted = try env.restartedScheduler()
            #expect(await restarted.tick(nowMillis: env.now()).submitted.count == 1)
            finishUpstream(env)
            #expect(await restarted.tick(nowMillis: env.now(plus: 600)).succeeded == 1)
            #expect(try await env.getTask(id).json["status"] == "succeeded")
        }
    }

    @Test func aBatchRecordedButNeverCreatedUpstreamIsReleasedAndSentOnce() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let id = try await env.deferTask()
            // Crash after the local batch row, before the create call.
            try env.store.queue.markSubmitted(
                taskIDs: [id], batch: BatchRecord(id: "rb_lost", createdMillis: env.now(), taskCount: 1))
            let restarted = try env.restartedScheduler()
            let report = await restarted.tick(nowMillis: env.now())
            #expect(report.released == 1)
            #expect(report.submitted.count == 1)
            #expect(env.upstreamBatches().count == 1)
            let task = try #require(try env.store.queue.task(id: id))
            #expect(task.attempts == 1)  // the lost attempt was refunded
            #expect(try env.store.queue.batch(id: "rb_lost")?.state == .failed)
        }
    }

    @Test func aBatchCreatedUpstreamWhoseIDWasNotStoredIsAdoptedNotResent() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            // An earlier batch the router knows, so the reconciler has a lower bound in the API's list.
            _ = try await env.deferTask("Classify: earlier")
            let scheduler = env.scheduler()
            #expect(await scheduler.tick(nowMillis: env.now()).submitted.count == 1)

            let a = try await env.deferTask("Classify: a")
            let b = try await env.deferTask("Classify: b")
            // Crash between the create call and storing its id: the local row is `submitting`, the API has it.
            try env.store.queue.markSubmitted(
                taskIDs: [a, b], batch: BatchRecord(id: "rb_orphan", createdMillis: env.now(), taskCount: 2))
            let tasks = try [a, b].map { try #require(try env.store.queue.task(id: $0)) }
            var body = #"{"requests":["#
            body += tasks.map { #"{"custom_id":"\#($0.id)","params":\#($0.requestJSON)}"# }.joined(separator: ",")
            body += "]}"
            let created = try await env.transport.send(
                UpstreamCall(
                    method: "POST", path: "/v1/messages/batches", headers: BatchScheduler.apiHeaders,
                    body: Array(body.utf8)))
            #expect(created.status == 200)
            #expect(env.upstreamBatches().count == 2)

            let restarted = try env.restartedScheduler()
            let report = await restarted.tick(nowMillis: env.now())
            #expect(report.adopted == 1)
            #expect(report.released == 0)
            #expect(report.submitted.isEmpty)
            #expect(env.upstreamBatches().count == 2)  // nothing sent twice
            finishUpstream(env)
            let done = await restarted.tick(nowMillis: env.now(plus: 600))
            #expect(done.succeeded == 3)
            for id in [a, b] { #expect(try await env.getTask(id).json["status"] == "succeeded") }
            #expect(try env.ledgerRows().count == 3)
        }
    }

    @Test func aSubmittedBatchIsPolledByTheNextProcessAndResultsAreStoredOnce() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let ids = [try await env.deferTask("Classify: x"), try await env.deferTask("Classify: y")]
            #expect(await env.scheduler().tick(nowMillis: env.now()).submitted.count == 1)
            finishUpstream(env)
            // The process that submitted is gone; the new one polls at once (it has no schedule in memory).
            let restarted = try env.restartedScheduler()
            let report = await restarted.tick(nowMillis: env.now())
            #expect(report.succeeded == 2)
            #expect(report.ended == 1)
            let batchID = try #require(try env.store.queue.task(id: ids[0])?.batchID)

            // A crash after the results were stored but before the batch was marked ended: the results are read
            // again and nothing is stored or recorded twice.
            try env.store.queue.updateBatch(id: batchID, state: .inProgress)
            let again = try env.restartedScheduler()
            let second = await again.tick(nowMillis: env.now())
            #expect(second.succeeded == 0)
            #expect(second.ended == 1)
            #expect(try env.ledgerRows().count == 2)
            #expect(env.upstreamBatches().count == 1)
        }
    }

    @Test func anErroredResultIsRetriedInALaterBatchAndThenSucceeds() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let id = try await env.deferTask()
            env.simulator.batches.addRule(.init(prefix: id, outcome: "errored", remaining: 1))
            let scheduler = env.scheduler()
            await scheduler.tick(nowMillis: env.now())
            finishUpstream(env)
            let first = await scheduler.tick(nowMillis: env.now(plus: 600))
            #expect(first.retried == 1)
            let waiting = try await env.getTask(id)
            #expect(waiting.json["status"] == "pending")
            #expect(waiting.json["attempts"] == 1)
            #expect(waiting.json["error"]?["type"] == "api_error")
            // The retry goes out in a new batch on a later tick.
            #expect(await scheduler.tick(nowMillis: env.now(plus: 660)).submitted.count == 1)
            finishUpstream(env)
            let second = await scheduler.tick(nowMillis: env.now(plus: 1200))
            #expect(second.succeeded == 1)
            let done = try await env.getTask(id)
            #expect(done.json["status"] == "succeeded")
            #expect(done.json["attempts"] == 2)
            #expect(done.json["error"] == .null)
            #expect(env.upstreamBatches().count == 2)
            // The failed attempt is in the ledger (not billed), and the success counts it as a retry.
            let rows = try env.ledgerRows()
            let request = try #require(rows.first { $0.kind == .request })
            #expect(request.status == 200)
            #expect(request.retries == 1)
            #expect(request.mode == .batch)
            let attempts = rows.filter { $0.kind == .attempt }.sorted { $0.attempt < $1.attempt }
            #expect(attempts.map(\.attempt) == [1, 2])
            #expect(attempts.map(\.errorType) == ["api_error", nil])
            #expect(attempts.map(\.status) == [500, 200])
            #expect(attempts[0].usage == .zero)
            #expect(attempts[0].cost == .zero)
            #expect(Set(rows.map(\.requestID)) == [request.requestID])
            #expect(request.requestID.dropFirst(4) == id.dropFirst(5))  // rtr_X is the request of task_X
            let totals = rows.reduce(into: ReportTotals()) { $0.add($1) }
            #expect(totals.requests == 1)
            #expect(totals.errors == 0)
            #expect(totals.retries == 1)
            #expect(totals.attempts == 2)
            #expect(totals.cost == request.cost)
        }
    }

    @Test func expiredResultsAreRetriedUpToMaxAttemptsThenTheTaskFailsWithTheReason() async throws {
        let harness = try BatchHarness(policy: BatchHarness.policy(["max_attempts": "2"]))
        try await harness.run { env in
            let id = try await env.deferTask()
            env.simulator.batches.addRule(.init(prefix: id, outcome: "expired", remaining: 5))
            let scheduler = env.scheduler()
            var failed = 0
            for round in 0..<4 {
                let base = Int64(round) * 1200
                await scheduler.tick(nowMillis: env.now(plus: base))
                finishUpstream(env)
                failed += await scheduler.tick(nowMillis: env.now(plus: base + 600)).failed
            }
            #expect(failed == 1)
            let task = try await env.getTask(id)
            #expect(task.json["status"] == "failed")
            #expect(task.json["attempts"] == 2)
            #expect(task.json["error"]?["type"] == "batch_expired")
            #expect(task.json["error"]?["message"]?.stringValue?.contains("gave up after 2 attempts") == true)
            #expect(env.upstreamBatches().count == 2)
            // Each expired attempt is a ledger row, not billed; the task's failure is one request with an error.
            let rows = try env.ledgerRows()
            #expect(rows.allSatisfy { $0.usage == .zero && $0.cost == .zero && $0.mode == .batch })
            #expect(rows.allSatisfy { $0.errorType == "batch_expired" })
            let totals = rows.reduce(into: ReportTotals()) { $0.add($1) }
            #expect(totals.requests == 1)
            #expect(totals.errors == 1)
            #expect(totals.retries == 1)
            #expect(totals.attempts == 2)
            // The report reads the same from the file, through the daily rollup.
            let report = try ReportReader(path: env.path).run(ReportQuery())
            #expect(report.total.errors == 1)
            #expect(report.total.retries == 1)
        }
    }

    @Test func failedAttemptsAreRecordedOnceAcrossARestart() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let ids = [try await env.deferTask("Classify: one"), try await env.deferTask("Classify: two")]
            env.simulator.batches.addRule(.init(prefix: ids[0], outcome: "canceled", remaining: 1))
            env.simulator.batches.addRule(.init(prefix: ids[1], outcome: "errored", remaining: 1))
            let scheduler = env.scheduler()
            await scheduler.tick(nowMillis: env.now())
            let batchID = try #require(try env.store.queue.task(id: ids[0])?.batchID)
            finishUpstream(env)
            #expect(await scheduler.tick(nowMillis: env.now(plus: 600)).retried == 2)
            let rows = try env.ledgerRows()
            #expect(rows.count == 2)
            #expect(Set(rows.compactMap(\.errorType)) == ["batch_canceled", "api_error"])
            #expect(rows.allSatisfy { $0.kind == .attempt && $0.attempt == 1 })

            // A crash before the batch was marked ended: the results are read again, nothing is recorded twice.
            try env.store.queue.updateBatch(id: batchID, state: .inProgress)
            let again = try env.restartedScheduler()
            let second = await again.tick(nowMillis: env.now(plus: 700))
            #expect(second.retried == 0)
            #expect(second.ended == 1)
            #expect(try env.ledgerRows().count == 2)
        }
    }

    @Test func aCallbackIsDeliveredWithTheFinishedTask() async throws {
        let harness = try BatchHarness()
        let receiver = CallbackReceiver()
        try await receiver.run { baseURL in
            try await harness.run { env in
                let id = try await env.deferTask(extra: #","callback_url":"\#(baseURL)/hook""#)
                let scheduler = env.scheduler()
                await scheduler.tick(nowMillis: env.now())
                finishUpstream(env)
                // A crash right after the result was stored: the next process delivers the callback.
                #expect(await scheduler.tick(nowMillis: env.now(plus: 600)).succeeded == 1)
                #expect(receiver.bodies.count == 1)
                let body = try #require(receiver.bodies.first)
                #expect(body["id"]?.stringValue == id)
                #expect(body["status"] == "succeeded")
                #expect(body["result"]?["type"] == "message")
                let task = try await env.getTask(id)
                #expect(task.json["callback"]?["state"] == "delivered")
                // Delivered once: later ticks do not send it again.
                await scheduler.tick(nowMillis: env.now(plus: 1200))
                #expect(receiver.bodies.count == 1)
            }
        }
    }

    @Test func aFailingCallbackIsRetriedThenGivenUpAndTheResultIsKept() async throws {
        let harness = try BatchHarness(policy: BatchHarness.policy(["callback_max_attempts": "2"]))
        let receiver = CallbackReceiver()
        try await receiver.run { baseURL in
            try await harness.run { env in
                let id = try await env.deferTask(extra: #","callback_url":"\#(baseURL)/fail""#)
                let scheduler = env.scheduler()
                await scheduler.tick(nowMillis: env.now())
                finishUpstream(env)
                let first = await scheduler.tick(nowMillis: env.now(plus: 600))
                #expect(first.succeeded == 1)
                #expect(first.callbackFailures == 1)
                #expect(try await env.getTask(id).json["callback"]?["state"] == "pending")
                // The next attempt is due after the backoff; a restarted scheduler makes it.
                let restarted = try env.restartedScheduler()
                #expect(await restarted.tick(nowMillis: env.now(plus: 602)).callbackFailures == 1)
                let task = try await env.getTask(id)
                #expect(task.json["callback"]?["state"] == "failed")
                #expect(task.json["callback"]?["attempts"] == 2)
                #expect(task.json["status"] == "succeeded")
                #expect(task.json["result"]?["type"] == "message")
                #expect(await restarted.tick(nowMillis: env.now(plus: 3600)).callbackFailures == 0)
            }
        }
    }
}
