import ClaudeAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Testing

@testable import ClaudeSimulator
@testable import RouterHTTP

@Suite struct FallbackMetricsTests {
    @Test func aCallMovedToItsFallbackByA529StormIsCountedByModelPair() async throws {
        var policy = try ServiceHarness.policy()
        policy.limits.retries = RetryPolicy(maxAttempts: 3, baseBackoffMillis: 1, maxBackoffMillis: 5)
        let harness = try ServiceHarness(policy: policy)
        try await harness.run { client, simulator in
            let before = try await client.execute(uri: "/metrics", method: .get).text
            #expect(!before.contains("claude_router_fallbacks_total{"))
            // Opus overloaded: the policy moves the call to Sonnet, which is overloaded once more and retried.
            simulator.faults.install(try #require(FaultProgram(header: "sequence=529,529")), scenario: "")
            let response = try await client.post("/v1/messages", json: messagesBody("Hello", model: "opus"))
            #expect(response.status == .ok)
            let from = try #require(response.header("x-router-fallback-from"))
            let to = try #require(response.header("x-router-model"))
            #expect(from.contains("opus") && to.contains("sonnet"))
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("claude_router_fallbacks_total{from=\"\(from)\",to=\"\(to)\"} 1"), "\(metrics)")
            // A call that needed no fallback adds nothing.
            _ = try await client.post("/v1/messages", json: messagesBody("Hello again", model: "opus"))
            let after = try await client.execute(uri: "/metrics", method: .get).text
            #expect(after.contains("claude_router_fallbacks_total{from=\"\(from)\",to=\"\(to)\"} 1"))
        }
    }

    @Test func aRequestRefusedByAFullQueueIsCountedByBucketAndReason() async throws {
        let limits = """
            buckets:
              haiku-4-5: {rpm: 1, itpm: 2000000, otpm: 400000}
              sonnet-4: {rpm: 1, itpm: 2000000, otpm: 400000}
              opus-4: {rpm: 1, itpm: 2000000, otpm: 400000}
            queue:
              max_queued_requests: 0
            """
        var harness = try ServiceHarness(policy: ServiceHarness.policy(limitsYAML: limits))
        // The simulator reports the same 1 RPM in its headers (they would otherwise raise the router's limit).
        let tight = RateLimits(requestsPerMinute: 1, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000)
        harness.simulatorConfig.tiers = [
            "test": Dictionary(uniqueKeysWithValues: Set(harness.policy.models.map(\.rateLimitBucket)).map { ($0, tight) })
        ]
        harness.simulatorConfig.tier = "test"
        harness.simulatorConfig.fallbackLimits = tight
        try await harness.run { client, _ in
            let first = try await client.post("/v1/messages", json: messagesBody("Classify: spam?", model: "haiku"))
            #expect(first.status == .ok)
            let second = try await client.post("/v1/messages", json: messagesBody("Classify: spam?", model: "haiku"))
            #expect(second.status == .tooManyRequests)
            #expect(second.header("retry-after") != nil)
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(
                metrics.contains("claude_router_admission_refusals_total{bucket=\"haiku-4-5\",reason=\"queue_full\"} 1"),
                "\(metrics)")
        }
    }
}
