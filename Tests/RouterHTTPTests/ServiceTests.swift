import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PolicyYAML
import RouterCore
import Testing

@testable import ClaudeSimulator
@testable import RouterHTTP

@Suite struct ServiceTests {
    @Test func classificationPromptGoesToHaikuWithDecisionHeadersAndALedgerRow() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Classify the sentiment of this review as positive or negative: great"))
            #expect(response.status == .ok)
            #expect(response.header("x-router-model") == "claude-haiku-4-5")
            #expect(response.header("x-router-task-type") == "classification")
            #expect(response.header("x-router-request-id")?.hasPrefix("rtr_") == true)
            #expect(response.header("request-id")?.hasPrefix("req_") == true)
            #expect(response.json["type"]?.stringValue == "message")
            let rows = harness.recorder.requests
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.modelUsed == "claude-haiku-4-5")
            #expect(row.usage.input == Int64(response.json["usage"]?["input_tokens"]?.intValue ?? -1))
            #expect(row.usage.output == Int64(response.json["usage"]?["output_tokens"]?.intValue ?? -1))
            #expect(row.cost.exactDollars == response.header("x-router-cost-usd"))
            #expect(row.cost.nanoUSD > 0)
            #expect(row.baselineCost.nanoUSD > row.cost.nanoUSD, "haiku is cheaper than the sonnet baseline")
            #expect(row.baselineCost - row.cost == row.savedByRouting + row.savedByCaching + row.savedByBatching)
        }
    }

    @Test func architecturePromptGoesToOpusAndAnExplicitModelIsHonoured() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let opus = try await client.post(
                "/v1/messages",
                json: messagesBody(
                    "Design the architecture of a multi-region event-sourced payments platform: services, data stores, consistency and failover trade-offs.",
                    maxTokens: 4096))
            #expect(opus.header("x-router-model")?.contains("opus") == true)
            let explicit = try await client.post(
                "/v1/messages", json: messagesBody("Design a system architecture", model: "claude-haiku-4-5"))
            #expect(explicit.header("x-router-model") == "claude-haiku-4-5")
        }
    }

    @Test func streamingPassesEveryEventAndRecordsTheFinalUsage() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Write a Swift function that reverses a string", stream: true))
            #expect(response.status == .ok)
            #expect(response.header("content-type")?.hasPrefix("text/event-stream") == true)
            var parser = SSEParser()
            let events = parser.feed(Array(response.body.readableBytesView)).compactMap(\.event)
            #expect(events.first == "message_start")
            #expect(events.last == "message_stop")
            #expect(events.contains("message_delta"))
            let row = try #require(harness.recorder.requests.first)
            #expect(row.mode == .stream)
            #expect(row.usageEstimated == false)
            #expect(row.usage.output > 0)
        }
    }

    @Test func injected529sAreRetriedUpToSuccessAndEveryAttemptIsRecorded() async throws {
        var policy = try ServiceHarness.policy()
        policy.limits.retries = RetryPolicy(maxAttempts: 3, baseBackoffMillis: 1, maxBackoffMillis: 5)
        policy.routing.fallbacks = []
        let harness = try ServiceHarness(policy: policy)
        try await harness.run { client, simulator in
            simulator.faults.install(try #require(FaultProgram(header: "sequence=529,529")), scenario: "")
            let response = try await client.post("/v1/messages", json: messagesBody("Classify: spam or not spam?"))
            #expect(response.status == .ok)
            #expect(response.header("x-router-retries") == "2")
            let attempts = harness.recorder.all.filter { $0.kind == .attempt }
            #expect(attempts.map(\.status) == [529, 529, 200])
        }
    }

    @Test func retriesStopAtThePolicyLimitAndTheAPIErrorIsReturned() async throws {
        var policy = try ServiceHarness.policy()
        policy.limits.retries = RetryPolicy(maxAttempts: 2, baseBackoffMillis: 1, maxBackoffMillis: 5)
        policy.routing.fallbacks = []
        let harness = try ServiceHarness(policy: policy)
        try await harness.run { client, simulator in
            simulator.faults.install(try #require(FaultProgram(header: "sequence=429,429,429")), scenario: "")
            let response = try await client.post("/v1/messages", json: messagesBody("Classify: spam or not spam?"))
            #expect(response.status == .tooManyRequests)
            #expect(response.json["error"]?["type"]?.stringValue == "rate_limit_error")
            #expect(harness.recorder.all.filter { $0.kind == .attempt }.count == 2)
        }
    }

    @Test func aBadRequestIsNotRetried() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            // A tool_result with no tool_use before it: the API (and the simulator) answer 400.
            let body = #"""
                {"model":"claude-sonnet-4-6","max_tokens":32,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"42"}]}]}
                """#
            let response = try await client.post("/v1/messages", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json["error"]?["type"]?.stringValue == "invalid_request_error")
            #expect(response.header("x-router-retries") == nil)
            #expect(harness.recorder.all.filter { $0.kind == .attempt }.isEmpty)
        }
    }

    @Test func overloadFallsBackToTheNextModel() async throws {
        var policy = try ServiceHarness.policy()
        policy.limits.retries = RetryPolicy(maxAttempts: 3, baseBackoffMillis: 1, maxBackoffMillis: 5)
        let harness = try ServiceHarness(policy: policy)
        try await harness.run { client, simulator in
            simulator.faults.install(try #require(FaultProgram(header: "sequence=529")), scenario: "")
            let response = try await client.post("/v1/messages", json: messagesBody("Hello", model: "opus"))
            #expect(response.status == .ok)
            #expect(response.header("x-router-fallback-from")?.contains("opus") == true)
            #expect(response.header("x-router-model")?.contains("opus") == false)
        }
    }

    @Test(arguments: [
        (#"{"model":"auto","max_tokens":"ten","messages":[]}"#, "max_tokens"),
        (#"{"model":"auto","messages":[{"role":"user","content":"hi"}]}"#, "max_tokens"),
        (#"{"model":"auto","max_tokens":5,"messages":[{"role":"robot","content":"hi"}]}"#, "messages[0].role"),
        ("not json", "JSON"),
    ])
    func malformedRequestsGetAnInvalidRequestErrorNamingThePath(body: String, mentions: String) async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post("/v1/messages", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json["type"]?.stringValue == "error")
            #expect(response.json["error"]?["type"]?.stringValue == "invalid_request_error")
            #expect(response.json["error"]?["message"]?.stringValue?.contains(mentions) == true)
        }
    }

    @Test func clientsAreAuthenticatedAndHeldToTheirTiers() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let missing = try await client.post("/v1/messages", key: nil, json: messagesBody("hi"))
            #expect(missing.status == .unauthorized)
            #expect(missing.json["error"]?["type"]?.stringValue == "authentication_error")
            let wrong = try await client.post("/v1/messages", key: "nope", json: messagesBody("hi"))
            #expect(wrong.status == .unauthorized)
            let denied = try await client.post(
                "/v1/messages", key: ServiceHarness.limitedKey, json: messagesBody("hi", model: "claude-opus-4-6"))
            #expect(denied.status == .forbidden)
            #expect(denied.json["error"]?["type"]?.stringValue == "permission_error")
            let allowed = try await client.post(
                "/v1/messages", key: ServiceHarness.limitedKey,
                json: messagesBody("Design a fault-tolerant distributed architecture for global payments"))
            #expect(allowed.status == .ok)
            #expect(allowed.header("x-router-model") == "claude-haiku-4-5")
        }
    }

    @Test func unknownRoutesWrongMethodsAndOversizedBodiesUseTheAPIErrorShape() async throws {
        var harness = try ServiceHarness()
        harness.maxRequestBytes = 1024
        try await harness.run { client, _ in
            let unknown = try await client.execute(uri: "/v2/nothing", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.json["error"]?["type"]?.stringValue == "not_found_error")
            let method = try await client.execute(uri: "/v1/messages", method: .get)
            #expect(method.status == .methodNotAllowed)
            #expect(method.json["type"]?.stringValue == "error")
            let big = try await client.post("/v1/messages", json: messagesBody(String(repeating: "x", count: 4096)))
            #expect(big.status == .contentTooLarge)
            #expect(big.json["error"]?["type"]?.stringValue == "request_too_large")
        }
    }

    @Test func routeExplainsWithoutCallingTheAPI() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post(
                "/v1/route", json: messagesBody("Extract every email address from this text: a@b.c, d@e.f"))
            #expect(response.status == .ok)
            #expect(response.json["decision"]?["task_type"]?.stringValue == "extraction")
            #expect(response.json["decision"]?["model"]?.stringValue == "claude-haiku-4-5")
            #expect(harness.recorder.all.isEmpty)
        }
    }

    @Test func tasksAnswerWithTheDecisionAndCanBeFetchedAgain() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let created = try await client.post(
                "/v1/tasks",
                json: #"{"task_type":"writing","metadata":{"team":"docs"},"messages":[{"role":"user","content":"Write a haiku about caching"}]}"#)
            #expect(created.status == .ok)
            #expect(created.json["status"]?.stringValue == "succeeded")
            #expect(created.json["decision"]?["task_type"]?.stringValue == "writing")
            #expect(created.json["decision"]?["classified_by"]?.stringValue == "hint")
            let id = try #require(created.json["id"]?.stringValue)
            let fetched = try await client.execute(
                uri: "/v1/tasks/\(id)", method: .get, headers: [HTTPField.Name("x-api-key")!: ServiceHarness.devKey])
            #expect(fetched.status == .ok)
            #expect(fetched.json["id"]?.stringValue == id)
        }
    }

    @Test func aTaskTheAPIRefusesIsAnsweredInTheErrorShapeAndKeptAsFailed() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            // Valid to the router, refused by the API: `thinking` must be an object.
            let refused = try await client.post(
                "/v1/tasks",
                json: #"{"task_type":"writing","thinking":"yes","messages":[{"role":"user","content":"Write a haiku"}]}"#)
            #expect(refused.status == .badRequest)
            #expect(refused.json["type"]?.stringValue == "error")
            #expect(refused.json["error"]?["type"]?.stringValue == "invalid_request_error")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("thinking") == true)
            let id = try #require(refused.json["task_id"]?.stringValue)
            let fetched = try await client.execute(
                uri: "/v1/tasks/\(id)", method: .get, headers: [HTTPField.Name("x-api-key")!: ServiceHarness.devKey])
            #expect(fetched.status == .ok)
            #expect(fetched.json["status"]?.stringValue == "failed")
            #expect(fetched.json["error"]?["type"]?.stringValue == "invalid_request_error")
        }
    }

    @Test func modelsListsThePolicyModelsAutoAndTheTiers() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.execute(
                uri: "/v1/models", method: .get, headers: [HTTPField.Name("x-api-key")!: ServiceHarness.devKey])
            let ids = response.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("auto"))
            #expect(ids.contains("haiku") && ids.contains("sonnet") && ids.contains("opus"))
            #expect(ids.contains("claude-sonnet-4-6"))
        }
    }

    @Test func theUpstreamKeyNeverReachesLogsOrResponses() async throws {
        let logs = CapturedLogs()
        var harness = try ServiceHarness()
        harness.logger = logs.logger()
        let secret = "sk-ant-test-SECRET-0123456789"
        harness.upstreamKey = UpstreamKey(secret)
        try await harness.run { client, simulator in
            var bodies: [String] = []
            bodies.append(try await client.post("/v1/messages", json: messagesBody("Classify this: ok")).text)
            bodies.append(try await client.post("/v1/messages", json: messagesBody("hi", stream: true)).text)
            bodies.append(try await client.post("/v1/messages", key: "wrong", json: messagesBody("hi")).text)
            simulator.faults.install(try #require(FaultProgram(header: "sequence=500,500,500,500,500,500")), scenario: "")
            bodies.append(try await client.post("/v1/messages", json: messagesBody("Classify this: ok")).text)
            for body in bodies { #expect(!body.contains(secret)) }
        }
        #expect(!logs.all.isEmpty)
        #expect(logs.all.allSatisfy { !$0.contains(secret) })
        #expect("\(UpstreamKey(secret))" == "<redacted>")
    }

    @Test func aBurstOverTheRPMIsPacedInsteadOfBeing429dUpstream() async throws {
        // 60 requests per minute in the router. The bucket starts full (as the API's does),
        // so 64 requests at once are 4 over: the router must hold those back until the bucket refills (one a
        // second), and the simulator must never answer 429.
        let limits = """
            buckets:
              haiku-4-5: {rpm: 60, itpm: 2000000, otpm: 400000}
              sonnet-4: {rpm: 60, itpm: 2000000, otpm: 400000}
              opus-4: {rpm: 60, itpm: 2000000, otpm: 400000}
            retries:
              max_attempts: 1
            """
        var harness = try ServiceHarness(policy: ServiceHarness.policy(limitsYAML: limits))
        // The simulator's bucket starts when its first request arrives, a moment after the router's: 10% more
        // there covers that skew between two independent clocks (the router paces at exactly its configured rate).
        let tight = RateLimits(requestsPerMinute: 66, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000)
        harness.simulatorConfig.tiers = [
            "test": Dictionary(uniqueKeysWithValues: Set(harness.policy.models.map(\.rateLimitBucket)).map { ($0, tight) })
        ]
        harness.simulatorConfig.tier = "test"
        harness.simulatorConfig.fallbackLimits = tight
        try await harness.run { client, _ in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        try await client.post(
                            "/v1/messages", json: messagesBody("Classify item \(i): spam or not?", maxTokens: 8)
                        ).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        }
        let waited = harness.recorder.requests.filter { $0.queueWaitMillis > 0 }.count
        #expect(waited >= 4, "the requests over the limit waited for headroom (\(waited) did)")
    }
}
