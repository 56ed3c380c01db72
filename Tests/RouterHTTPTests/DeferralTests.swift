import ClaudeAPI
import RouterCore
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import RouterHTTP

@Suite struct DeferralTests {
    static let now: Int64 = 1_800_000_000_000

    func decision(taskType: String = "classification", deferrable: Bool = true, budget: Bool = false) throws
        -> Decision
    {
        let policy = try ServiceHarness.policy()
        let client = try #require(policy.clients.first { $0.name == "dev" })
        let features = RoutingFeatures(
            request: ["model": "auto", "max_tokens": 10, "messages": [["role": "user", "content": "hi"]]],
            client: client.name, taskTypeHint: taskType, metadata: [:])
        var decision = try RouterCore.Router.route(
            features, client: client, policy: policy, budget: .ok, day: Day(epochMillis: Self.now))
        decision.deferrable = deferrable
        decision.budgetSuggestsDefer = budget
        return decision
    }

    @Test(arguments: [
        // streamed, deferrable, priority, deadline (s from now), budget, rate-limited → reason
        (false, true, "background", nil, false, false, "background"),
        (false, true, "interactive", 7200, false, false, "deadline"),
        (false, true, "interactive", nil, true, false, "budget"),
        (false, true, "interactive", nil, false, false, "none"),
        (true, true, "background", nil, false, false, "none"),
        (false, false, "background", nil, false, false, "none"),
        (false, true, "background", 60, false, false, "none"),
        (false, true, "interactive", 60, true, false, "none"),
    ] as [(Bool, Bool, String, Int64?, Bool, Bool, String)])
    func theDeferralTable(
        streamed: Bool, deferrable: Bool, priority: String, deadline: Int64?, budget: Bool, rateLimited: Bool,
        expected: String
    ) throws {
        let result = Deferral.decide(
            streamed: streamed, decision: try decision(deferrable: deferrable, budget: budget),
            config: BatchConfig(minDeadlineSeconds: 3600),
            priority: AdmissionQueue.Priority(rawValue: priority)!, deadlineMillis: deadline.map { Self.now + $0 * 1000 },
            nowMillis: Self.now, rateLimited: rateLimited)
        #expect((result.reason?.rawValue ?? "none") == expected, "\(result.note)")
    }

    @Test func aSaturatedRateLimitSendsBackgroundWorkToABatchEvenWithoutDeferBackground() throws {
        let config = BatchConfig(deferBackground: false)
        let d = try decision()
        let saturated = Deferral.decide(
            streamed: false, decision: d, config: config, priority: .background, deadlineMillis: nil,
            nowMillis: Self.now, rateLimited: true)
        #expect(saturated.reason == .rateLimited)
        let open = Deferral.decide(
            streamed: false, decision: d, config: config, priority: .background, deadlineMillis: nil,
            nowMillis: Self.now, rateLimited: false)
        #expect(open.reason == nil)
    }

    @Test func disabledBatchesDeferNothing() throws {
        let result = Deferral.decide(
            streamed: false, decision: try decision(), config: BatchConfig(enabled: false), priority: .background,
            deadlineMillis: nil, nowMillis: Self.now, rateLimited: true)
        #expect(result.reason == nil)
    }

    @Test func callbackBackoffGrowsAndIsBounded() {
        #expect(BatchScheduler.callbackBackoffMillis(afterAttempts: 1) == 1000)
        #expect(BatchScheduler.callbackBackoffMillis(afterAttempts: 3) == 4000)
        #expect(BatchScheduler.callbackBackoffMillis(afterAttempts: 50) == 300_000)
    }

    @Test func aTaskAnsweredAtOnceIsReadableOnlyByItsClient() async throws {
        try await ServiceHarness().run { client, _ in
            let created = try await client.post(
                "/v1/tasks", json: #"{"task_type":"classification","messages":[{"role":"user","content":"Classify: ok"}]}"#)
            #expect(created.status == .ok)
            let id = try #require(created.json["id"]?.stringValue)
            func get(_ key: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/tasks/\(id)", method: .get, headers: [HTTPField.Name("x-api-key")!: key])
            }
            let own = try await get(ServiceHarness.devKey)
            #expect(own.status == .ok)
            #expect(own.json["status"] == "succeeded")
            let other = try await get(ServiceHarness.limitedKey)
            #expect(other.status == .notFound, "\(other.text)")
            #expect(other.json["type"] == "error")
            #expect(other.json["error"]?["type"] == "not_found_error")
            #expect(!other.text.contains("Classify"))
        }
    }
}
