import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RouterCore
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// When the scheduler packs, how it polls, and what it does when the create call's answer is lost.
@Suite struct BatchSchedulingTests {
    @Test func aBatchWaitsForMaxWaitUnlessItIsFullOrADeadlineIsAtRisk() async throws {
        let policy = try BatchHarness.policy(["max_wait_seconds": "600", "max_batch_size": "2"])
        try await BatchHarness(policy: policy).run { env in
            let scheduler = env.scheduler()
            _ = try await env.deferTask("Classify: one")
            #expect(await scheduler.tick(nowMillis: env.now()).submitted.isEmpty)
            #expect(await scheduler.tick(nowMillis: env.now(plus: 601)).submitted.count == 1)

            // Full: two waiting fill a batch at once; the third waits for its own max_wait.
            _ = try await env.deferTask("Classify: two")
            _ = try await env.deferTask("Classify: three")
            _ = try await env.deferTask("Classify: four")
            let full = await scheduler.tick(nowMillis: env.now(plus: 1))
            #expect(full.submitted.count == 1)
            #expect(try env.store.queue.pendingSummary().count == 1)

            // At risk: a deadline inside min_deadline + max_wait goes now, with whatever waits.
            let risky = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","deadline":3700,"messages":[{"role":"user","content":"Classify: five"}]}"#)
            #expect(risky.status == .accepted)
            let atRisk = await scheduler.tick(nowMillis: env.now(plus: 2))
            #expect(atRisk.submitted.count == 1)
            #expect(try env.store.queue.pendingSummary().count == 0)
            #expect(env.upstreamBatches().map(\.items.count).sorted() == [1, 2, 2])
        }
    }

    @Test func runningBatchesArePolledWithAGrowingBoundedInterval() async throws {
        // poll_interval 5 s, growing ×1.5 up to 60 s.
        try await BatchHarness().run { env in
            _ = try await env.deferTask()
            let scheduler = env.scheduler()
            let start = env.now()
            await scheduler.tick(nowMillis: start)
            var pollTimes: [Int64] = []
            var t = start
            while t < start + 240_000 {  // four simulated minutes in 1 s steps
                t += 1000
                if await scheduler.tick(nowMillis: t).polled == 1 { pollTimes.append((t - start) / 1000) }
            }
            #expect(pollTimes.prefix(5) == [5, 13, 25, 42, 68])
            let gaps = zip(pollTimes.dropFirst(), pollTimes).map { $0 - $1 }
            #expect(gaps.max() == 60)
        }
    }

    @Test(arguments: [true, false])
    func aLostCreateAnswerIsSettledFromTheAPIsList(createdUpstream: Bool) async throws {
        try await BatchHarness().run { env in
            let id = try await env.deferTask()
            let scheduler = BatchScheduler(
                store: env.store, transport: LosingTransport(inner: env.transport, forward: createdUpstream),
                policies: env.policies, callbacks: env.callbacks, logger: Logger(label: "scheduler"))
            let first = await scheduler.tick(nowMillis: env.now())
            #expect(first.unconfirmed == 1)
            #expect(try await env.getTask(id).json["status"] == "submitted")
            let second = await scheduler.tick(nowMillis: env.now(plus: 1))
            if createdUpstream {
                #expect(second.adopted == 1)
                #expect(second.submitted.isEmpty)
            } else {
                #expect(second.released == 1)
                #expect(second.submitted.count == 1)
            }
            // Either way the task is in exactly one upstream batch, and is answered once.
            #expect(env.upstreamBatches().count == 1)
            (env.simulator.clock as? SteppedClock)?.advance(by: 61)
            #expect(await scheduler.tick(nowMillis: env.now(plus: 600)).succeeded == 1)
            #expect(try env.ledgerRows().count == 1)
            #expect(try env.store.queue.task(id: id)?.attempts == 1)
        }
    }

    @Test func backgroundWorkGoesToABatchWhenInteractiveTrafficHasUsedTheRateLimit() async throws {
        var harness = try BatchHarness(policy: BatchHarness.policy(["defer_background": "false"]))
        harness.pacing = SaturatedPacing()
        try await harness.run { env in
            let background = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","priority":"background","messages":[{"role":"user","content":"Classify: ok"}]}"#)
            #expect(background.status == .accepted)
            #expect(background.json["decision"]?["deferral"]?["reason"] == "rate_limited")
            let interactive = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","messages":[{"role":"user","content":"Classify: ok"}]}"#)
            #expect(interactive.status == .ok)
        }
    }
}
