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

@Suite struct BatchDeferralTests {
    @Test func aBackgroundTaskIsAcceptedDurablyBatchedAndPricedAtTheBatchRate() async throws {
        // An accelerated simulator: 60 simulated seconds of batch processing pass in 60 ms.
        let harness = try BatchHarness(clock: ScaledClock(timeScale: 1000))
        try await harness.run { env in
            let created = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","priority":"background","metadata":{"job":"n1"},"messages":[{"role":"user","content":"Classify: great product"}]}"#)
            #expect(created.status == .accepted)
            #expect(created.json["status"] == "pending")
            #expect(created.json["decision"]?["deferral"]?["deferred"] == true)
            #expect(created.json["decision"]?["deferral"]?["reason"] == "background")
            #expect(created.header("x-router-deferred") == "background")
            let id = try #require(created.json["id"]?.stringValue)
            // Durable before the 202: another connection to the file sees it as soon as the answer arrives.
            let stored = try TaskQueue(path: env.path).task(id: id)
            #expect(stored?.state == .pending)
            #expect(try await env.getTask(id).json["status"] == "pending")

            let scheduler = env.scheduler()
            let first = await scheduler.tick(nowMillis: env.now())
            #expect(first.submitted.count == 1)
            let submitted = try await env.getTask(id)
            #expect(submitted.json["status"] == "submitted")
            // The router's batch id only: the API's id is not shown to clients.
            #expect(submitted.json["batch"]?["id"]?.stringValue?.hasPrefix("rb_") == true)
            #expect(submitted.json["batch"]?["upstream_id"] == nil)
            #expect(env.upstreamBatches().count == 1)

            // Wait (bounded) for the simulated batch to end; each tick is a minute later for the poll schedule.
            var done = false
            for round in 1...200 where !done {
                let report = await scheduler.tick(nowMillis: env.now(plus: Int64(round) * 60))
                done = report.succeeded == 1
                if !done { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(done)
            let finished = try await env.getTask(id)
            #expect(finished.json["status"] == "succeeded")
            #expect(finished.json["result"]?["type"] == "message")
            #expect(finished.json["result"]?["usage"]?["service_tier"] == "batch")
            #expect(finished.json["metadata"]?["job"] == "n1")
            let inputTokens = try #require(finished.json["usage"]?["input_tokens"]?.intValue)
            #expect(inputTokens > 0)

            let rows = try env.ledgerRows()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.mode == .batch)
            #expect(row.client == "dev")
            #expect(row.taskType == "classification")
            #expect(row.deferral == "deferred:background")
            #expect(row.savedByBatching > .zero)
            #expect(finished.json["cost_usd"]?.stringValue == row.cost.exactDollars)
            // Exactly the batch share of the standard price, in integers.
            let policy = env.policies.current
            let model = try #require(policy.model(named: row.modelUsed))
            let day = Day(epochMillis: row.timestampMillis)
            #expect(row.cost == Pricing.cost(of: row.usage, model: model, on: day, batch: true))
            #expect(row.cost + row.savedByBatching == Pricing.cost(of: row.usage, model: model, on: day))
        }
    }

    @Test func interactiveTasksMessagesAndStreamsAreNeverDeferred() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let interactive = try await env.client.post(
                "/v1/tasks", json: #"{"task_type":"classification","messages":[{"role":"user","content":"Classify: ok"}]}"#)
            #expect(interactive.status == .ok)
            #expect(interactive.json["status"] == "succeeded")

            let streamed = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","priority":"background","stream":true,"messages":[{"role":"user","content":"Classify: ok"}]}"#)
            #expect(streamed.status == .ok)
            #expect(streamed.json["status"] == "succeeded")

            let message = try await env.client.post(
                "/v1/messages", json: messagesBody("Classify the sentiment: fine"),
                headers: [HTTPField.Name("x-router-priority")!: "background"])
            #expect(message.status == .ok)
            #expect(message.json["type"] == "message")

            let notDeferrable = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"coding","priority":"background","messages":[{"role":"user","content":"Fix this bug"}]}"#)
            #expect(notDeferrable.status == .ok)
            #expect(try TaskQueue(path: env.path).pendingSummary().count == 0)
        }
    }

    @Test func aFarDeadlineDefersAnInteractiveTaskAndANearOneDoesNot() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let far = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"extraction","deadline":7200,"messages":[{"role":"user","content":"Extract the date: 1 May"}]}"#)
            #expect(far.status == .accepted)
            #expect(far.json["decision"]?["deferral"]?["reason"] == "deadline")
            let near = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"extraction","priority":"background","deadline":60,"messages":[{"role":"user","content":"Extract the date: 2 May"}]}"#)
            #expect(near.status == .ok)
        }
    }

    @Test func routeSaysWhetherAndWhyATaskWouldBeDeferred() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let background = try await env.client.post(
                "/v1/route",
                json: #"{"task_type":"classification","priority":"background","messages":[{"role":"user","content":"x"}]}"#)
            #expect(background.json["decision"]?["deferral"]?["deferred"] == true)
            #expect(background.json["decision"]?["deferral"]?["reason"] == "background")
            let coding = try await env.client.post(
                "/v1/route",
                json: #"{"task_type":"coding","priority":"background","messages":[{"role":"user","content":"x"}]}"#)
            #expect(coding.json["decision"]?["deferral"]?["deferred"] == false)
            #expect(coding.json["decision"]?["deferral"]?["note"]?.stringValue?.contains("not deferrable") == true)
            #expect(try TaskQueue(path: env.path).pendingSummary().count == 0)
        }
    }

    @Test func onlyTheOwnerCanReadOrCancelADeferredTask() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let id = try await env.deferTask()
            let stranger = try await env.getTask(id, key: ServiceHarness.limitedKey)
            #expect(stranger.status == .notFound)
            #expect(stranger.json["type"] == "error")
            #expect(stranger.json["error"]?["type"] == "not_found_error")
            let strangerCancel = try await env.client.execute(
                uri: "/v1/tasks/\(id)", method: .delete,
                headers: [HTTPField.Name("x-api-key")!: ServiceHarness.limitedKey])
            #expect(strangerCancel.status == .notFound)

            let cancel = try await env.client.execute(
                uri: "/v1/tasks/\(id)", method: .delete, headers: [HTTPField.Name("x-api-key")!: ServiceHarness.devKey])
            #expect(cancel.status == .ok)
            #expect(try await env.getTask(id).json["status"] == "canceled")
            // A canceled task is never sent.
            let report = await env.scheduler().tick(nowMillis: env.now())
            #expect(report.submitted.isEmpty)
            #expect(env.upstreamBatches().isEmpty)
        }
    }

    @Test func theQueueIsBoundedPerClientWithARateLimitError() async throws {
        let harness = try BatchHarness(policy: BatchHarness.policy(["max_pending_per_client": "2"]))
        try await harness.run { env in
            _ = try await env.deferTask("Classify: one")
            _ = try await env.deferTask("Classify: two")
            let refused = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","priority":"background","messages":[{"role":"user","content":"Classify: three"}]}"#)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["type"] == "error")
            #expect(refused.json["error"]?["type"] == "rate_limit_error")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("max_pending_per_client") == true)
            #expect(refused.header("retry-after") != nil)
            // An interactive task with a far deadline is served now instead of being refused.
            let interactive = try await env.client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","deadline":7200,"messages":[{"role":"user","content":"Classify: four"}]}"#)
            #expect(interactive.status == .ok)
            #expect(try TaskQueue(path: env.path).unfinishedCount(client: "dev") == 2)
        }
    }

    @Test func metricsShowDeferralsQueueDepthAndBatchesInFlight() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            _ = try await env.deferTask()
            let scheduler = env.scheduler()
            await scheduler.tick(nowMillis: env.now())
            let metrics = try await env.client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"claude_router_deferred_total{reason="background"} 1"#))
            #expect(metrics.text.contains("claude_router_batches_in_flight 1"))
            #expect(metrics.text.contains("claude_router_batch_queue_depth 0"))
        }
    }

    @Test func metricsShowBatchesByStateAndTheDeferralQueue() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            _ = try await env.deferTask("Classify the sentiment of: one")
            _ = try await env.deferTask("Classify the sentiment of: two")
            let scheduler = env.scheduler()
            await scheduler.tick(nowMillis: env.now(plus: -3600))  // too early to pack: both wait
            var text = try await env.client.execute(uri: "/metrics", method: .get).text
            #expect(text.contains(#"claude_router_deferred_tasks{state="pending"} 2"#), "\(text)")
            #expect(text.contains(#"claude_router_batches{state="in_progress"} 0"#))
            await scheduler.tick(nowMillis: env.now())
            text = try await env.client.execute(uri: "/metrics", method: .get).text
            #expect(text.contains(#"claude_router_deferred_tasks{state="pending"} 0"#))
            #expect(text.contains(#"claude_router_deferred_tasks{state="submitted"} 2"#))
            #expect(text.contains(#"claude_router_batches{state="in_progress"} 1"#))
            for state in ["submitting", "ended", "failed", "canceled"] {
                #expect(text.contains("claude_router_batches{state=\"\(state)\"} 0"))
            }
        }
    }
}
