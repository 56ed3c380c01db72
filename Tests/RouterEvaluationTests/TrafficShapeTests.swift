import ClaudeAPI
import Foundation
import RouterCore
import RouterEvaluation
import Testing

/// The planner on generated traffic: it never costs more than no caching, and on the shapes its defaults were
/// not tuned on it keeps most of what an oracle that must see a prefix once can save.
@Suite("Cache planner on generated traffic shapes")
struct TrafficShapeTests {
    static func results(_ trace: [TraceRequest], conditions: CacheReplay.Conditions = .init(), feedback: Bool = true)
        -> [CacheReplay.Strategy: CacheReplay.Result]
    {
        Dictionary(
            uniqueKeysWithValues: [CacheReplay.Strategy.none, .planner, .learningOracle].map {
                ($0, CacheReplay.run(trace, strategy: $0, profile: sonnet, conditions: conditions, feedback: feedback))
            })
    }

    @Test("the same seed gives the same trace, another seed another one")
    func seeded() {
        let a = TrafficShape.mix.generate(seed: 7, durationMillis: 600_000)
        #expect(a == TrafficShape.mix.generate(seed: 7, durationMillis: 600_000))
        #expect(a != TrafficShape.mix.generate(seed: 8, durationMillis: 600_000))
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.timestampMillis <= $1.timestampMillis })
        #expect(Set(a.map(\.client)).count >= 6)
    }

    @Test("the held-out-like generator reproduces the described trace's statistics")
    func heldOutStatistics() {
        let trace = TrafficShape.heldOutLike.generate(seed: 1)
        // 12,031 requests an hour, 24 blocks of 512 tokens on average.
        #expect(abs(trace.count - 12_031) < 600)
        let blocks = Double(trace.reduce(0) { $0 + $1.blocks.count }) / Double(trace.count)
        #expect(abs(blocks - 24) < 2, "\(blocks)")
        // 37 % of input tokens in a block some earlier request carried; 92 % of reuses within 5 minutes.
        var lastSeen: [UInt64: Int64] = [:]
        var reusable = 0
        var total = 0
        var reuses = 0
        var within5m = 0
        for request in trace {
            let hashes = request.prefixHashes
            total += request.inputLength
            var deepest: Int64?
            for (index, hash) in hashes.enumerated() {
                if let seen = lastSeen[hash] {
                    reusable += request.blocks[index].tokens
                    deepest = seen
                }
            }
            if let deepest {
                reuses += 1
                if request.timestampMillis - deepest <= 300_000 { within5m += 1 }
            }
            for hash in hashes { lastSeen[hash] = request.timestampMillis }
        }
        let share = Double(reusable) / Double(total)
        #expect(abs(share - 0.37) < 0.03, "\(share)")
        let quick = Double(within5m) / Double(reuses)
        #expect(abs(quick - 0.92) < 0.03, "\(quick)")
    }

    @Test("on every shape the planner costs no more than no caching", arguments: TrafficShape.allCases)
    func neverCostsMore(shape: TrafficShape) {
        let trace = shape.generate(seed: 3, durationMillis: 1_200_000)
        let results = Self.results(trace)
        #expect(results.values.allSatisfy { $0.rejected == 0 })
        #expect(results[.planner]!.inputCost <= results[.none]!.inputCost)
    }

    @Test(
        "on shapes it was not tuned on, the planner keeps at least 90% of the after-first-sighting oracle's saving",
        arguments: TrafficShape.allCases.filter { !$0.tunedOn })
    func untunedShapes(shape: TrafficShape) {
        let trace = shape.generate(seed: 2, durationMillis: 1_800_000)
        let results = Self.results(trace)
        let none = results[.none]!.inputCost
        let planner = none - results[.planner]!.inputCost
        let ceiling = none - results[.learningOracle]!.inputCost
        #expect(ceiling.nanoUSD > 0)
        #expect(planner.nanoUSD * 10 >= ceiling.nanoUSD * 9, "planner \(planner), ceiling \(ceiling)")
    }

    @Test("when the API evicts early and counts more tokens than the router estimates, feedback keeps the planner paying")
    func feedbackUnderEvictionAndEstimateError() {
        // Bots a minute or two apart, an API that drops entries unread for 60 s, and estimates 40 % low.
        let trace = TrafficShape.bot.generate(seed: 4, durationMillis: 1_800_000)
        let conditions = CacheReplay.Conditions(evictAfterMillis: 60_000, tokenEstimateScale: 0.6)
        let with = Self.results(trace, conditions: conditions)
        let without = CacheReplay.run(trace, strategy: .planner, profile: sonnet, conditions: conditions, feedback: false)
        #expect(with[.planner]!.inputCost <= with[.none]!.inputCost)
        #expect(with[.planner]!.inputCost < without.inputCost)
    }
}
