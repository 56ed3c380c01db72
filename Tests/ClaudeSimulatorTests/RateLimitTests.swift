import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct RateLimitTests {
    func body(_ tokens: Int) -> JSONValue {
        ["model": "test-model", "max_tokens": 10, "messages": [["role": "user", "content": .string(Body.words(tokens))]]]
    }

    @Test func headersReportLimitsAndRoundedRemaining() async throws {
        let limits = RateLimits(requestsPerMinute: 3, inputTokensPerMinute: 10_000, outputTokensPerMinute: 5_000)
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(limits: limits))
        try await h.run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body(1_997), headers: ["x-sim-output-tokens": "100"])
            #expect(reply.header("anthropic-ratelimit-requests-limit") == "3")
            #expect(reply.header("anthropic-ratelimit-requests-remaining") == "2")
            #expect(reply.header("anthropic-ratelimit-input-tokens-limit") == "10000")
            #expect(reply.header("anthropic-ratelimit-input-tokens-remaining") == "8000")  // 10,000 − 2,000
            #expect(reply.header("anthropic-ratelimit-output-tokens-remaining") == "5000")  // 5,000 − 10 (max_tokens) → nearest thousand
            #expect(reply.header("anthropic-ratelimit-tokens-limit") == "15000")
            // Requests refill one per 20 s: full again at now + 20 s.
            #expect(reply.header("anthropic-ratelimit-requests-reset") == RFC3339.format(h.clock.now() + 20))
        }
    }

    @Test func overTheRequestLimitAnswers429WithRetryAfter() async throws {
        let limits = RateLimits(requestsPerMinute: 3, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 1_000_000)
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(limits: limits))
        try await h.run { client async throws in
            for _ in 0..<3 { #expect(try await client.call(.post, "/v1/messages", body(5)).status == 200) }
            let limited = try await client.call(.post, "/v1/messages", body(5))
            #expect(limited.status == 429)
            #expect(limited.json["error"]?["type"] == "rate_limit_error")
            #expect(limited.header("retry-after") == "20")
            #expect(limited.header("x-should-retry") == "true")
            #expect(limited.header("anthropic-ratelimit-requests-remaining") == "0")
            h.clock.advance(by: 20)
            #expect(try await client.call(.post, "/v1/messages", body(5)).status == 200)
        }
    }

    @Test func cacheReadsDoNotCountTowardInputLimit() async throws {
        let limits = RateLimits(requestsPerMinute: 100, inputTokensPerMinute: 1_000, outputTokensPerMinute: 100_000)
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(limits: limits))
        let cached: JSONValue = [
            "model": "test-model", "max_tokens": 10, "system": [Body.systemBlock(Body.words(900), ttl: "5m")],
            "messages": [["role": "user", "content": "hi"]],
        ]
        try await h.run { client async throws in
            #expect(try await client.call(.post, "/v1/messages", cached).status == 200)  // charges 904 of 1,000
            #expect(try await client.call(.post, "/v1/messages", cached).status == 200)  // reads 900: charges 4
            #expect(try await client.call(.post, "/v1/messages", body(200)).status == 429)  // 200 uncached > 92 left
        }
    }

    @Test func scenariosHaveSeparateBuckets() async throws {
        let limits = RateLimits(requestsPerMinute: 1, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 1_000_000)
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(limits: limits))
        try await h.run { client async throws in
            #expect(try await client.call(.post, "/v1/messages", body(5), headers: ["x-sim-scenario": "a"]).status == 200)
            #expect(try await client.call(.post, "/v1/messages", body(5), headers: ["x-sim-scenario": "a"]).status == 429)
            #expect(try await client.call(.post, "/v1/messages", body(5), headers: ["x-sim-scenario": "b"]).status == 200)
        }
    }
}
