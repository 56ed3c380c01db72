import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

/// Hand-computed cache cases on `test-model` (minimum 100 tokens). A user turn "hi" costs 4 tokens (3 of role
/// framing + 1); `Body.words(n)` costs n tokens.
@Suite struct PromptCacheTests {
    func request(system: [JSONValue], user: JSONValue = "hi", extra: JSONObject = [:]) -> JSONValue {
        var o: JSONObject = [
            "model": "test-model", "max_tokens": 100, "system": .array(system),
            "messages": [["role": "user", "content": user]],
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    func usage(_ reply: Reply) -> (input: Int, write5m: Int, write1h: Int, read: Int) {
        let u = reply.json["usage"] ?? .null
        return (u.int("input_tokens") ?? -1, u.int("cache_creation", "ephemeral_5m_input_tokens") ?? -1,
                u.int("cache_creation", "ephemeral_1h_input_tokens") ?? -1, u.int("cache_read_input_tokens") ?? -1)
    }

    @Test func breakpointWritesThenIdenticalRequestReads() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(200), ttl: "5m")])
        try await h.run { client async throws in
            let first = try await client.call(.post, "/v1/messages", body)
            #expect(first.status == 200)
            #expect(usage(first) == (4, 200, 0, 0))
            #expect(first.json.int("usage", "cache_creation_input_tokens") == 200)
            let second = try await client.call(.post, "/v1/messages", body)
            #expect(usage(second) == (4, 0, 0, 200))
        }
    }

    @Test func entryExpiresAfterTTLButReadsRefreshIt() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(200), ttl: .some(nil))])  // bare {"type":"ephemeral"}: 5m
        try await h.run { client async throws in
            _ = try await client.call(.post, "/v1/messages", body)  // write at t=0, expires t=300
            h.clock.advance(by: 200)
            #expect(usage(try await client.call(.post, "/v1/messages", body)).read == 200)  // refresh: expires t=500
            h.clock.advance(by: 250)  // t=450: past the first TTL, inside the refreshed one
            #expect(usage(try await client.call(.post, "/v1/messages", body)).read == 200)
            h.clock.advance(by: 301)  // t=751: expired
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (4, 200, 0, 0))
        }
    }

    @Test func oneHourEntrySurvivesFiveMinutes() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(200), ttl: "1h")])
        try await h.run { client async throws in
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (4, 0, 200, 0))
            h.clock.advance(by: 3_000)
            #expect(usage(try await client.call(.post, "/v1/messages", body)).read == 200)
        }
    }

    @Test func belowTheMinimumNothingIsCached() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(99), ttl: "5m")])
        try await h.run { client async throws in
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (103, 0, 0, 0))
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (103, 0, 0, 0))
        }
    }

    @Test func mixedTTLsBillOneHourThenFiveMinuteWrites() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let a = Body.systemBlock(Body.words(200), ttl: "1h")
        try await h.run { client async throws in
            // A = 0, B = 200 (1h breakpoint), C = 350 (5m breakpoint).
            let first = request(system: [a, Body.systemBlock(Body.words(150, "xyz"), ttl: "5m")])
            #expect(usage(try await client.call(.post, "/v1/messages", first)) == (4, 150, 200, 0))
            #expect(usage(try await client.call(.post, "/v1/messages", first)) == (4, 0, 0, 350))
            // Second block changed: hit at the 1h block (A = 200), 5m write of the new 150.
            let changed = request(system: [a, Body.systemBlock(Body.words(150, "qrs"), ttl: "5m")])
            #expect(usage(try await client.call(.post, "/v1/messages", changed)) == (4, 150, 0, 200))
        }
    }

    @Test func oneHourAfterFiveMinutesIsRejected() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(200), ttl: "5m"), Body.systemBlock(Body.words(10), ttl: "1h")])
        try await h.run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body)
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["message"]?.stringValue?.contains("must not come after a ttl='5m'") == true)
        }
    }

    @Test(arguments: [(10, 200), (25, 0)])
    func readsLookBackAtMostTwentyBlocks(blocks: Int, expectedRead: Int) async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let system = Body.words(200)
        try await h.run { client async throws in
            _ = try await client.call(.post, "/v1/messages", request(system: [Body.systemBlock(system, ttl: "5m")]))
            // The breakpoint moves to the last of `blocks` user blocks; the system entry is `blocks` positions back.
            var parts: [JSONValue] = (0..<blocks).map { i in ["type": "text", "text": .string("w\(i)")] }
            parts[blocks - 1] = ["type": "text", "text": .string("w\(blocks - 1)"), "cache_control": Body.cc()]
            let reply = try await client.call(.post, "/v1/messages", request(system: [Body.systemBlock(system)], user: .array(parts)))
            #expect(usage(reply).read == expectedRead)
        }
    }

    @Test func automaticCachingMarksTheLastBlock() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body: JSONValue = [
            "model": "test-model", "max_tokens": 100, "cache_control": ["type": "ephemeral"],
            "messages": [["role": "user", "content": .string(Body.words(200))]],
        ]
        try await h.run { client async throws in
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (0, 203, 0, 0))
            #expect(usage(try await client.call(.post, "/v1/messages", body)) == (0, 0, 0, 203))
        }
    }

    @Test func writesBecomeReadableOnlyWhenTheResponseStarts() throws {
        let engine = MessageEngine(config: SimulatorHarness.smallCacheConfig(), cache: PromptCache(), ids: IDGenerator(seed: 1))
        let prepared = try engine.prepare(request(system: [Body.systemBlock(Body.words(200), ttl: "5m")]), endpoint: .messages, scope: "")
        let first = engine.plan(prepared, now: 0)
        let concurrent = engine.plan(prepared, now: 0.5)
        #expect(first.usage.cacheWrite5m == 200)
        #expect(concurrent.usage.cacheRead == 0)
        engine.cache.commit(first)
        #expect(engine.plan(prepared, now: 1).usage.cacheRead == 200)
    }

    @Test func countTokensEqualsAllBilledInput() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig())
        let body = request(system: [Body.systemBlock(Body.words(200), ttl: "5m")], user: "What is in the data, today?")
        try await h.run { client async throws in
            var countBody = body.objectValue!
            countBody["max_tokens"] = nil
            let counted = try await client.call(.post, "/v1/messages/count_tokens", .object(countBody))
            for _ in 0..<2 {
                let u = usage(try await client.call(.post, "/v1/messages", body))
                #expect(counted.json.int("input_tokens") == u.input + u.write5m + u.write1h + u.read)
            }
        }
    }
}
