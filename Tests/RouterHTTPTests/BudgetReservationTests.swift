import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RouterCore
import Synchronization
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Hard budgets hold under concurrency: what is admitted is reserved at its estimate until its cost is recorded.
@Suite struct BudgetReservationTests {
    static let limit = Money(dollars: "0.01")!

    /// The test policy with the dev client's budget cut to a hard $0.01 a day.
    static func policy() throws -> Policy {
        var policy = try ServiceHarness.policy()
        let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
        policy.clients[index].budget = BudgetConfig(daily: limit, monthly: nil, hardLimit: true)
        return policy
    }

    static let opusBody = messagesBody("Explain the CAP theorem briefly.", model: "claude-opus-4-6", maxTokens: 64)

    /// The reservation of one request, from its decision's input estimate and `max_tokens` at Opus's published
    /// prices ($5 / $25 per million tokens), and the most any admitted request's actual cost exceeded it.
    static func estimationError(route: TestResponse, rows: [UsageRecord], maxTokens: Int64) throws -> Money {
        let input = Int64(try #require(route.json["decision"]?["estimated_input_tokens"]?.intValue))
        let reserved = (input * 5_000_000 + maxTokens * 25_000_000 + 500) / 1000
        let worst = rows.map { $0.cost.nanoUSD - reserved }.max() ?? 0
        return Money(nanoUSD: max(0, worst))
    }

    @Test func twentyConcurrentOpusRequestsSpendAtMostTheHardLimitAndTheRestGet402() async throws {
        var harness = try ServiceHarness(policy: Self.policy())
        harness.spend = harness.recorder
        let recorder = harness.recorder
        try await harness.run { client, _ in
            // The decision's input estimate, asked before any spend (a dry run reserves nothing).
            let route = try await client.post("/v1/route", json: Self.opusBody)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        // Every answer uses its whole max_tokens, so no request costs much less than its hold.
                        let r = try await client.post(
                            "/v1/messages", json: Self.opusBody, headers: [HTTPField.Name("x-sim-output-tokens")!: "64"])
                        return (r.status, r.text)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String)]()) { $0.append($1) }
            }
            let admitted = statuses.filter { $0.0 == .ok }.count
            let refused = statuses.filter { $0.0.code == 402 }
            #expect(admitted + refused.count == 20, "\(statuses.map(\.0))")
            #expect(admitted >= 1 && !refused.isEmpty)
            let message = try #require(refused.first?.1)
            #expect(message.contains("budget_exceeded_error"))
            #expect(message.contains("$0.01"), "the limit is printed with its digits: \(message)")
            let rows = recorder.requests.filter { $0.status == 200 }
            let spent = rows.reduce(Money.zero) { $0 + $1.cost }
            let error = try Self.estimationError(route: route, rows: rows, maxTokens: 64)
            #expect(spent <= Self.limit + error, "spent \(spent) of \(Self.limit) (+\(error))")
        }
    }

    @Test func twentyBackgroundTasksReserveWhenAcceptedAndSpendAtMostTheLimit() async throws {
        var policy = try BatchHarness.policy()
        let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
        policy.clients[index].budget = BudgetConfig(daily: Self.limit, monthly: nil, hardLimit: true)
        let harness = try BatchHarness(policy: policy, clock: ScaledClock(timeScale: 1000))
        try await harness.run { env in
            var accepted: [String] = []
            var refused: [String] = []
            for i in 0..<20 {
                let response = try await env.client.post(
                    "/v1/tasks",
                    json: #"{"task_type":"classification","priority":"background","max_tokens":1000,"messages":[{"role":"user","content":"Classify the sentiment of review \#(i): fine"}]}"#)
                if response.status == .accepted {
                    accepted.append(try #require(response.json["id"]?.stringValue))
                } else {
                    #expect(response.status.code == 402, "\(response.text)")
                    refused.append(response.text)
                }
            }
            #expect(!accepted.isEmpty && !refused.isEmpty, "accepted \(accepted.count), refused \(refused.count)")
            #expect(env.service.holds.count == accepted.count, "each accepted task holds its estimate")

            // A restart rebuilds the holds from the unfinished tasks in the store.
            let restarted = RouterApplication.forTests(
                configuration: ServiceConfiguration(), policies: env.policies, transport: UnusedTransport(),
                recorder: MemoryRecorder(), taskStore: env.store, logger: Logger(label: "restarted"))
            #expect(restarted.holds.count == accepted.count)

            let scheduler = env.scheduler()
            var succeeded = 0
            for round in 0..<300 where succeeded < accepted.count {
                succeeded += await scheduler.tick(nowMillis: env.now(plus: Int64(round) * 60)).succeeded
                if succeeded < accepted.count { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(succeeded == accepted.count)
            let rows = try env.ledgerRows().filter { $0.kind == .request }
            let spent = rows.reduce(Money.zero) { $0 + $1.cost }
            // Reserved at max_tokens, so the actual cost of each task is below its hold: no estimation error beyond
            // the input estimate's, which a one-line prompt keeps under a cent's hundredth.
            let slack = Money(dollars: "0.0001")!
            #expect(spent <= Self.limit + slack, "spent \(spent)")
            #expect(env.service.holds.count == 0, "every hold ended with its task's row")
        }
    }

    @Test func anInFlightHoldIsReleasedWhenTheCallFailsBeforeAnyRow() async throws {
        let recorder = MemoryRecorder()
        try await ScriptedTransport.run(ScriptedTransport([]), policy: try Self.policy(), recorder: recorder) {
            client, service in
            let response = try await client.post("/v1/messages", json: Self.opusBody)
            #expect(response.status.code >= 500)
            #expect(service.holds.count == 0)
        }
    }
}
