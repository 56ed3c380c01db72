import ClaudeAPI
import Testing

@testable import RouterCore

/// The planner's breakpoint choice (`CacheDecision.optimise`, a convex-hull dynamic programme) finds the best
/// selection an exhaustive search finds, and the prefix table finds what it stored.
@Suite struct CacheOptimiseTests {
    /// A small deterministic generator (SplitMix64), so every run checks the same cases.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static func option(position: Int, tokens: Int, choices: [(CacheTTL, Int128)]) -> CacheDecision.Option {
        let boundary = CacheBoundary(
            location: .message(index: position, block: 0), kind: .message, blockPosition: position,
            prefixTokens: tokens, prefixHash: UInt64(position))
        var set = CacheDecision.Choices()
        for (ttl, weight) in choices { set.append((ttl, weight, 0)) }
        return CacheDecision.Option(
            candidate: CacheDecision.Candidate(
                boundary: boundary, assessment: BoundaryAssessment(estimate: ReuseEstimate(hits5mMilli: 0, hits1hMilli: 0))),
            choices: set)
    }

    /// The value of a selection: each pick's segment times its weight, TTLs non-increasing, fixed markers kept.
    static func value(
        _ picks: [(option: Int, choice: Int)], options: [CacheDecision.Option], fixed: [ClientCacheMarker]
    ) -> Int128? {
        var points: [(position: Int, tokens: Int, ttl: CacheTTL, weight: Int128)] = fixed.map {
            ($0.blockPosition, $0.prefixTokens, $0.ttl, 0)
        }
        for pick in picks {
            let option = options[pick.option]
            let choice = option.choices[pick.choice]
            points.append((option.candidate.boundary.blockPosition, option.candidate.boundary.prefixTokens, choice.ttl, choice.weight))
        }
        points.sort { $0.position < $1.position }
        var total = Int128(0)
        var previousTokens = 0
        for (index, point) in points.enumerated() {
            if index > 0, points[index - 1].ttl < point.ttl { return nil }
            total += Int128(point.tokens - previousTokens) * point.weight
            previousTokens = point.tokens
        }
        return total
    }

    /// The best value over every selection of at most `slots` options (each with one of its choices).
    static func exhaustive(options: [CacheDecision.Option], fixed: [ClientCacheMarker], slots: Int) -> Int128 {
        var best = Int128(0)
        func search(_ next: Int, _ picks: [(option: Int, choice: Int)]) {
            if let v = value(picks, options: options, fixed: fixed), v > best { best = v }
            guard picks.count < slots else { return }
            for i in next..<options.count {
                for c in 0..<options[i].choices.count { search(i + 1, picks + [(i, c)]) }
            }
        }
        search(0, [])
        return best
    }

    @Test(arguments: 0..<60)
    func theProgrammeFindsTheExhaustiveOptimum(seed: Int) {
        var random = Generator(state: UInt64(seed) &* 7919 &+ 1)
        let count = 1 + random.next(9)
        var tokens = 0
        var options: [CacheDecision.Option] = []
        var fixed: [ClientCacheMarker] = []
        let fixedAt = seed % 3 == 0 ? random.next(count + 1) : -1
        for position in 0..<count {
            tokens += random.next(3) == 0 ? 0 : 100 + random.next(5_000)  // equal token counts happen
            if position == fixedAt {
                fixed.append(
                    ClientCacheMarker(
                        location: .message(index: position, block: 0), blockPosition: position, prefixTokens: tokens,
                        ttl: random.next(2) == 0 ? .fiveMinutes : .oneHour))
                continue
            }
            var choices: [(CacheTTL, Int128)] = []
            if random.next(3) != 0 { choices.append((.oneHour, Int128(1 + random.next(3_000)))) }
            if random.next(4) != 0 || choices.isEmpty { choices.append((.fiveMinutes, Int128(1 + random.next(3_000)))) }
            options.append(Self.option(position: position, tokens: tokens, choices: choices))
        }
        let slots = 1 + random.next(4) - fixed.count
        guard slots >= 0 else { return }
        let picks = CacheDecision.optimise(options: options, fixed: fixed, slots: slots)
        #expect(picks.count <= slots)
        let chosen: [(option: Int, choice: Int)] = picks.map { pick in
            let index = options.firstIndex { $0.candidate.boundary.blockPosition == pick.candidate.boundary.blockPosition }!
            let choice = (0..<options[index].choices.count).first { options[index].choices[$0].ttl == pick.ttl }!
            return (index, choice)
        }
        let found = Self.value(chosen, options: options, fixed: fixed)
        #expect(found != nil, "the picks break the TTL order")
        #expect(found == Self.exhaustive(options: options, fixed: fixed, slots: slots))
    }

    @Test func theTableFindsEveryKeyItHoldsAfterGrowingAndEvicting() {
        var table = PrefixEntryTable<Int>()
        var random = Generator(state: 42)
        var keys: [UInt64] = []
        for i in 0..<5_000 {
            let key = UInt64(random.next(Int.max)) | 1
            if table.position(of: key) == nil {
                table.insert(i, for: key)
                keys.append(key)
            }
        }
        #expect(table.count == keys.count)
        for (i, key) in keys.enumerated() { #expect(table[key] != nil, "key \(i)") }
        let before = table.generation
        table.removeAll { $0 % 2 == 0 }
        #expect(table.generation != before)
        for (i, key) in keys.enumerated() { #expect((table[key] != nil) == (i % 2 == 1)) }
        #expect(table[12345 << 1] == nil)
    }
}
