import Foundation
import ClaudeAPI
public import RouterCore

/// The figures of one evaluation run (see `RoutingEvaluation`).
public struct RoutingEvaluationReport: Sendable {
    /// Every routed request.
    public var outcomes: [Outcome]
    public typealias Outcome = RoutingEvaluation.Outcome

    /// Labelled requests.
    public var count: Int { outcomes.count }
    /// Requests the router refused (counted at their labelled tier).
    public var refused: Int { outcomes.filter { $0.decision == nil }.count }
    /// Decisions whose tier is in the acceptable set.
    public var acceptableCount: Int { outcomes.filter(\.acceptable).count }
    /// Decisions whose tier is exactly the labelled least tier.
    public var exactCount: Int { outcomes.filter { $0.tier == $0.label.tier }.count }
    /// Opus-labelled requests.
    public var opusLabelled: Int { outcomes.filter { $0.label.tier == .opus }.count }
    /// Opus-labelled requests sent to Haiku.
    public var opusToHaiku: Int { outcomes.filter { $0.label.tier == .opus && $0.tier == .haiku }.count }
    /// Decisions below the labelled least tier.
    public var underServed: Int { outcomes.filter { $0.tier < $0.label.tier }.count }
    /// Decisions above every acceptable tier.
    public var overServed: Int { outcomes.filter { t in t.label.acceptable.allSatisfy { $0 < t.tier } }.count }

    /// The share of decisions in the acceptable set (0 for no requests).
    public var acceptableRate: Double { rate(acceptableCount, count) }
    /// The share of decisions at exactly the labelled tier.
    public var strictAccuracy: Double { rate(exactCount, count) }
    /// The share of Opus-labelled requests sent to Haiku.
    public var opusToHaikuRate: Double { rate(opusToHaiku, opusLabelled) }

    /// The routed cost of `subset` (all when nil).
    public func routedCost(everyday: Bool? = nil) -> Money {
        select(everyday).reduce(Money(nanoUSD: 0)) { $0 + $1.cost }
    }

    /// The cost of sending every request of the subset to `tier`'s default model.
    public func cost(always tier: Tier, everyday: Bool? = nil) -> Money {
        select(everyday).reduce(Money(nanoUSD: 0)) { $0 + ($1.costByTier[tier] ?? $1.cost) }
    }

    /// How much less routing costs than always using `tier` (0.6 = 60 % less).
    public func saving(against tier: Tier, everyday: Bool? = nil) -> Double {
        let base = cost(always: tier, everyday: everyday).nanoUSD
        return base > 0 ? 1 - Double(routedCost(everyday: everyday).nanoUSD) / Double(base) : 0
    }

    /// Requests of the subset.
    public func count(everyday: Bool?) -> Int { select(everyday).count }

    /// `matrix[label][routed]`: how many requests labelled with the first tier went to the second.
    public var confusion: [Tier: [Tier: Int]] {
        var m: [Tier: [Tier: Int]] = [:]
        for o in outcomes { m[o.label.tier, default: [:]][o.tier, default: 0] += 1 }
        return m
    }

    /// The worst misroutes, worst first: under-served before over-served, by how many tiers they missed, then by
    /// how sure the model was of its (wrong) difficulty.
    public func worstMisroutes(limit: Int) -> [Outcome] {
        func severity(_ o: Outcome) -> (Int, Int, Double) {
            let miss = o.tier.rank - o.label.tier.rank
            let confidence = o.decision?.difficulty.map { o.decision?.difficultyProbabilities[$0.index] ?? 0 } ?? 0
            return (miss < 0 ? 1 : 0, abs(miss), confidence)
        }
        return outcomes.filter { !$0.acceptable }.sorted { a, b in
            let x = severity(a)
            let y = severity(b)
            if x.0 != y.0 { return x.0 > y.0 }
            if x.1 != y.1 { return x.1 > y.1 }
            if x.2 != y.2 { return x.2 > y.2 }
            return a.label.id < b.label.id
        }.prefix(limit).map { $0 }
    }

    /// One-line factual questions (one line, under 200 bytes, ending in `?`, labelled Haiku) routed to Opus.
    public var shortQuestionsToOpus: [Outcome] {
        outcomes.filter { o in
            let text = o.label.features.lastUserText.trimmingCharacters(in: .whitespacesAndNewlines)
            return o.tier == .opus && o.label.tier == .haiku && text.hasSuffix("?") && text.utf8.count < 200
                && !text.contains("\n")
        }
    }

    private func select(_ everyday: Bool?) -> [Outcome] {
        guard let everyday else { return outcomes }
        return outcomes.filter { $0.label.everyday == everyday }
    }

    private func rate(_ n: Int, _ d: Int) -> Double { d > 0 ? Double(n) / Double(d) : 0 }
}
