import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClaudeSimulator

/// count_tokens and batch creation have their own requests-per-minute limits, separate from Messages, with the
/// same headers and 429 shape.
@Suite struct EndpointRateLimitTests {
    static func config(countTokensRPM: Int = 1_000, batchRPM: Int = 1_000, messagesRPM: Int = 1_000) -> SimulatorConfig
    {
        var config = SimulatorHarness.smallCacheConfig(
            limits: RateLimits(
                requestsPerMinute: messagesRPM, inputTokensPerMinute: 10_000_000, outputTokensPerMinute: 10_000_000))
        let big = 1_000_000_000
        config.tiers["t"]?[SimulatorConfig.countTokensBucket] = RateLimits(
            requestsPerMinute: countTokensRPM, inputTokensPerMinute: big, outputTokensPerMinute: big)
        config.tiers["t"]?[SimulatorConfig.batchCreationBucket] = RateLimits(
            requestsPerMinute: batchRPM, inputTokensPerMinute: big, outputTokensPerMinute: big)
        return config
    }

    let countBody: JSONValue = ["model": "test-model", "messages": [["role": "user", "content": "hi"]]]

    var batchBody: JSONValue {
        ["requests": [["custom_id": "a", "params": Body.message(model: "test-model", maxTokens: 10)]]]
    }

    @Test func countTokensHasItsOwnRequestLimit() async throws {
        let h = SimulatorHarness(config: Self.config(countTokensRPM: 2, messagesRPM: 1_000))
        try await h.run { client async throws in
            let first = try await client.call(.post, "/v1/messages/count_tokens", countBody)
            #expect(first.status == 200)
            #expect(first.header("anthropic-ratelimit-requests-limit") == "2")
            #expect(first.header("anthropic-ratelimit-requests-remaining") == "1")
            // 2 per minute: one refills every 30 s.
            #expect(first.header("anthropic-ratelimit-requests-reset") == RFC3339.format(h.clock.now() + 30))
            #expect(try await client.call(.post, "/v1/messages/count_tokens", countBody).status == 200)
            let limited = try await client.call(.post, "/v1/messages/count_tokens", countBody)
            #expect(limited.status == 429)
            #expect(limited.json["type"] == "error")
            #expect(limited.json["error"]?["type"] == "rate_limit_error")
            #expect(limited.header("retry-after") == "30")
            #expect(limited.header("anthropic-ratelimit-requests-remaining") == "0")
            // Messages are not affected by the count_tokens bucket.
            #expect(try await client.call(.post, "/v1/messages", Body.message(model: "test-model")).status == 200)
            h.clock.advance(by: 30)
            #expect(try await client.call(.post, "/v1/messages/count_tokens", countBody).status == 200)
        }
    }

    @Test func messagesDoNotUseUpTheCountTokensLimit() async throws {
        let h = SimulatorHarness(config: Self.config(countTokensRPM: 1, messagesRPM: 1_000))
        try await h.run { client async throws in
            for _ in 0..<3 {
                #expect(try await client.call(.post, "/v1/messages", Body.message(model: "test-model")).status == 200)
            }
            #expect(try await client.call(.post, "/v1/messages/count_tokens", countBody).status == 200)
        }
    }

    @Test func batchCreationHasItsOwnRequestLimit() async throws {
        let h = SimulatorHarness(config: Self.config(batchRPM: 1))
        try await h.run { client async throws in
            let created = try await client.call(.post, "/v1/messages/batches", batchBody)
            #expect(created.status == 200)
            #expect(created.header("anthropic-ratelimit-requests-limit") == "1")
            #expect(created.header("anthropic-ratelimit-requests-remaining") == "0")
            let limited = try await client.call(.post, "/v1/messages/batches", batchBody)
            #expect(limited.status == 429)
            #expect(limited.json["error"]?["type"] == "rate_limit_error")
            #expect(limited.header("retry-after") == "60")
            // Reading batches is not creation: not limited.
            let id = created.json["id"]?.stringValue ?? ""
            #expect(try await client.call(.get, "/v1/messages/batches/\(id)").status == 200)
            h.clock.advance(by: 60)
            #expect(try await client.call(.post, "/v1/messages/batches", batchBody).status == 200)
        }
    }

    @Test func batchesOverTheProcessingQueueLimitAreRefusedUntilQueuedOnesEnd() async throws {
        var config = Self.config(batchRPM: 1_000)
        config.batchQueueLimits = ["t": 3]
        let h = SimulatorHarness(config: config)
        @Sendable func batch(_ count: Int) -> JSONValue {
            let requests = (0..<count).map { index -> JSONValue in
                ["custom_id": .string("r\(index)"), "params": Body.message(model: "test-model", maxTokens: 10)]
            }
            return ["requests": .array(requests)]
        }
        try await h.run { client async throws in
            #expect(try await client.call(.post, "/v1/messages/batches", batch(2)).status == 200)
            let refused = try await client.call(.post, "/v1/messages/batches", batch(2))  // 2 queued + 2 > 3
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["type"] == "rate_limit_error")
            #expect(refused.header("retry-after") != nil)
            #expect(try await client.call(.post, "/v1/messages/batches", batch(1)).status == 200)  // 2 + 1 = 3
            // Batches take 100 simulated seconds in this config: once they ended the queue is empty again.
            h.clock.advance(by: 101)
            #expect(try await client.call(.post, "/v1/messages/batches", batch(3)).status == 200)
        }
    }

    @Test(arguments: [("start", 2_000, 1_000), ("build", 4_000, 2_000), ("scale", 8_000, 4_000)])
    func defaultTiersCarryTheReferenceLimits(tier: String, countTokens: Int, batches: Int) {
        var config = SimulatorConfig.default
        config.tier = tier
        #expect(config.limits(forBucket: SimulatorConfig.countTokensBucket).requestsPerMinute == countTokens)
        #expect(config.limits(forBucket: SimulatorConfig.batchCreationBucket).requestsPerMinute == batches)
        #expect(config.batchQueueLimit == ["start": 200_000, "build": 300_000, "scale": 500_000][tier])
    }
}
