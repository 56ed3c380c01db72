import ClaudeAPI
import Foundation
import RouterCore
import Testing

@testable import RouterEvaluation

/// Sonnet 4.6 at the standard multipliers: $3 input, 1,024-token minimum.
let sonnet = CacheModelProfile(
    model: "claude-sonnet-4-6", minCacheableTokens: 1_024, inputPerMTok: Money(nanoUSD: 3_000_000_000))

@Suite("Prompt cache model (the API's rules, for replays)")
struct PromptCacheModelTests {
    /// A request of `blocks` blocks of 1,000 tokens each, sharing its first `shared` blocks with `family`.
    func request(blocks: Int, family: UInt64, shared: Int, variant: UInt64) -> (hashes: [UInt64], tokens: [Int]) {
        let hashes = (0..<blocks).map {
            $0 < shared ? family &* 1_000 &+ UInt64($0) : variant &* 1_000_000 &+ UInt64($0)
        }
        return (hashes, (0..<blocks).map { ($0 + 1) * 1_000 })
    }

    func serve(
        _ cache: inout PromptCacheModel, _ r: (hashes: [UInt64], tokens: [Int]), _ breakpoints: [(Int, CacheTTL)],
        at: Int64
    ) throws -> TokenUsage {
        try cache.serve(
            prefixHashes: r.hashes, prefixTokens: r.tokens,
            breakpoints: breakpoints.map { PromptCacheModel.Breakpoint(position: $0.0, ttl: $0.1) }, nowMillis: at)
    }

    @Test("a write is read by the next request within the TTL; the rest is input")
    func writeThenRead() throws {
        var cache = PromptCacheModel(minCacheableTokens: 1_024)
        let r = request(blocks: 5, family: 1, shared: 5, variant: 1)
        let first = try serve(&cache, r, [(4, .fiveMinutes)], at: 0)
        #expect(first == TokenUsage(input: 0, cacheWrite5m: 5_000))
        let second = try serve(&cache, r, [(4, .fiveMinutes)], at: 299_000)
        #expect(second == TokenUsage(input: 0, cacheRead: 5_000))
    }

    @Test(
        "reads refresh the TTL; an entry left alone past its TTL is gone",
        arguments: [(CacheTTL.fiveMinutes, Int64(300_000)), (.oneHour, 3_600_000)])
    func refreshAndExpiry(ttl: CacheTTL, life: Int64) throws {
        var cache = PromptCacheModel(minCacheableTokens: 1_024)
        let r = request(blocks: 3, family: 2, shared: 3, variant: 2)
        _ = try serve(&cache, r, [(2, ttl)], at: 0)
        // Read just inside the TTL: refreshed from this request's start.
        #expect(try serve(&cache, r, [(2, ttl)], at: life - 1_000).cacheRead == 3_000)
        #expect(try serve(&cache, r, [(2, ttl)], at: 2 * life - 2_000).cacheRead == 3_000)
        // Past the TTL: written again.
        let late = try serve(&cache, r, [(2, ttl)], at: 3 * life)
        #expect(late.cacheRead == 0)
        #expect(late.cacheWrite5m + late.cacheWrite1h == 3_000)
    }

    @Test(
        "the lookback finds an entry up to 20 positions back, the breakpoint included, and no further",
        arguments: [(19, true), (20, false)])
    func lookback(distance: Int, hit: Bool) throws {
        var cache = PromptCacheModel(minCacheableTokens: 1_024)
        let blocks = 3 + distance
        let writer = request(blocks: blocks, family: 3, shared: blocks, variant: 3)
        _ = try serve(&cache, writer, [(2, .fiveMinutes)], at: 0)
        // Same first 3 blocks, then different: its breakpoint sits `distance` positions after the entry.
        let reader = request(blocks: blocks, family: 3, shared: 3, variant: 4)
        let usage = try serve(&cache, reader, [(2 + distance, .fiveMinutes)], at: 10_000)
        #expect((usage.cacheRead == 3_000) == hit)
    }

    @Test("a breakpoint under the minimum length caches nothing, silently")
    func minimum() throws {
        var cache = PromptCacheModel(minCacheableTokens: 4_096)
        let r = request(blocks: 4, family: 4, shared: 4, variant: 4)
        #expect(try serve(&cache, r, [(3, .fiveMinutes)], at: 0) == TokenUsage(input: 4_000))
        #expect(try serve(&cache, r, [(3, .fiveMinutes)], at: 1_000) == TokenUsage(input: 4_000))
    }

    @Test("concurrent requests miss: an entry is readable only once its writer's response has begun")
    func readableDelay() throws {
        var cache = PromptCacheModel(minCacheableTokens: 1_024, readableDelayMillis: 1_000)
        let r = request(blocks: 2, family: 5, shared: 2, variant: 5)
        _ = try serve(&cache, r, [(1, .fiveMinutes)], at: 0)
        #expect(try serve(&cache, r, [(1, .fiveMinutes)], at: 500).cacheRead == 0)
        #expect(try serve(&cache, r, [(1, .fiveMinutes)], at: 1_500).cacheRead == 2_000)
    }

    @Test("mixed TTLs bill as the API: read A, 1h write B − A, 5m write C − B")
    func mixedBilling() throws {
        var cache = PromptCacheModel(minCacheableTokens: 1_024)
        let r = request(blocks: 10, family: 6, shared: 10, variant: 6)
        _ = try serve(&cache, r, [(1, .oneHour)], at: 0)
        let usage = try serve(&cache, r, [(1, .oneHour), (5, .oneHour), (8, .fiveMinutes)], at: 10_000)
        #expect(usage == TokenUsage(input: 1_000, cacheWrite5m: 3_000, cacheWrite1h: 4_000, cacheRead: 2_000))
    }

    @Test("over 4 breakpoints or a 1h after a 5m is rejected, as the API's 400")
    func rejections() {
        var cache = PromptCacheModel(minCacheableTokens: 1_024)
        let r = request(blocks: 6, family: 7, shared: 6, variant: 7)
        #expect(throws: PromptCacheModel.Rejection.tooManyBreakpoints(5)) {
            try serve(&cache, r, (0..<5).map { ($0, CacheTTL.fiveMinutes) }, at: 0)
        }
        #expect(throws: PromptCacheModel.Rejection.ttlOrder) {
            try serve(&cache, r, [(1, .fiveMinutes), (3, .oneHour)], at: 0)
        }
    }
}

@Suite("Cache planner replay of a Mooncake sample")
struct CachePlannerReplayTests {
    /// 237 requests of kvcache-ai/Mooncake's synthetic trace (Apache-2.0), chosen as described in
    /// Benchmarks/cache-replay/README.md; read from the source tree, so the tests need nothing outside the repo.
    static func sample() throws -> [TraceRequest] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/cache-replay/mooncake-sample.jsonl")
        return try TraceRequest.parseJSONL(String(contentsOf: url, encoding: .utf8))
    }

    @Test("the trace format parses: timestamps, lengths, 512-token blocks")
    func parse() throws {
        let trace = try Self.sample()
        #expect(trace.count == 237)
        #expect(trace.allSatisfy { ($0.inputLength + 511) / 512 == $0.hashIDs.count })
        #expect(zip(trace, trace.dropFirst()).allSatisfy { $0.timestampMillis <= $1.timestampMillis })
        #expect(throws: TraceRequest.ParseError.self) { try TraceRequest.parseJSONL("{\"timestamp\": 1}\n") }
    }

    @Test("the planner saves most of what an oracle saves, and never costs more than no caching")
    func plannerAgainstOracle() throws {
        let trace = try Self.sample()
        let results = Dictionary(
            uniqueKeysWithValues: CacheReplay.Strategy.allCases.map {
                ($0, CacheReplay.run(trace, strategy: $0, profile: sonnet))
            })
        let none = results[.none]!.inputCost
        let planner = results[.planner]!.inputCost
        let oracle = results[.oracle]!.inputCost
        #expect(results.values.allSatisfy { $0.rejected == 0 })
        #expect(results[.none]!.usage.totalInput == Int64(trace.reduce(0) { $0 + $1.inputLength }))
        #expect(oracle <= planner)
        #expect(planner < results[.always5m]!.inputCost)
        // At least 80% of the oracle's saving on this sample (91.7% when written).
        #expect((none - planner).nanoUSD * 10 >= (none - oracle).nanoUSD * 8)
    }
}
