public import ClaudeAPI
/// The planner's decision function: pure, given the features, the assessments of the boundaries, the model's
/// profile and the policy.
///
/// **Break-even.** Let P be the price of a prefix segment as plain input, w the write multiplier of a TTL
/// (1.25 for 5m, 2 for 1h), ρ the read multiplier (0.1) and r the expected number of hits on the entry. Marking
/// costs (w − 1)·P more now and saves (1 − ρ)·P on each hit, so it pays when r·(1 − ρ) > w − 1, that is
/// r > (w − 1)/(1 − ρ): 0.28 hits for 5m and 1.11 for 1h at the standard multipliers (one hit pays a 5m write,
/// two pay a 1h write, as the API's documentation says). A prefix never seen before is written only when its
/// kind's measured payoff clears break-even times the policy's `speculativeMarginMilli`. An entry the API already holds is read, not written:
/// marking it saves (1 − ρ)·P now, so it is always worth a slot.
///
/// **Where.** Breakpoints split the prompt into segments; a segment is cached by the breakpoint that ends it, so
/// the value of a breakpoint is its segment's tokens times its unit value (r·(1 − ρ) − (w − 1), in price). A
/// dynamic programme over the candidates picks the set of at most the free slots (4 minus the client's markers
/// and the automatic one) with the best total, keeping TTLs non-increasing along the request (the API rejects a
/// 1h breakpoint after a 5m one) and every client marker in place.
public enum CacheDecision {
    /// Plans one request.
    ///
    /// - Parameters:
    ///   - assessments: one per `features.boundaries`, in the same order.
    public static func plan(
        features: CacheRequestFeatures, assessments: [BoundaryAssessment], profile: CacheModelProfile,
        policy: CachePolicy, nowMillis: Int64
    ) -> CachePlan {
        let mode = policy.mode(client: features.client, taskType: features.taskType)
        if mode == .off {
            return .none(
                mode: mode, reason: "cache planning is off for client '\(features.client)', task '\(features.taskType)'"
            )
        }
        if features.hasUnknownMarker {
            return .none(
                mode: mode, reason: "the request carries a cache_control the planner does not understand; left as sent")
        }
        let fixed = features.fixedBreakpoints
        if !isTTLOrderValid(fixed.map(\.ttl)) {
            return .none(mode: mode, reason: "the client's breakpoints put a 1h TTL after a 5m one; left as sent")
        }
        let slots = min(policy.maxBreakpoints, 4) - features.occupiedBreakpoints
        if slots <= 0 {
            return .none(
                mode: mode, reason: "no free breakpoint: the client's markers use all \(min(policy.maxBreakpoints, 4))")
        }
        // A few at most: a linear search beats building a set on every request.
        let fixedPositions = fixed.map(\.blockPosition)
        var candidates: [Candidate] = []
        candidates.reserveCapacity(features.boundaries.count)
        var shortest = Int.max
        for (index, boundary) in features.boundaries.enumerated() where !fixedPositions.contains(boundary.blockPosition)
        {
            guard boundary.prefixTokens >= profile.minCacheableTokens else {
                shortest = min(shortest, boundary.prefixTokens)
                continue
            }
            let assessment =
                index < assessments.count
                ? assessments[index] : BoundaryAssessment(estimate: ReuseEstimate(hits5mMilli: 0, hits1hMilli: 0))
            if mode == .force && boundary.kind == .message { continue }
            candidates.append(Candidate(boundary: boundary, assessment: assessment))
        }
        if candidates.isEmpty {
            if shortest != Int.max {
                return .none(mode: mode, account: .belowMinimum(model: profile.model, minimum: profile.minCacheableTokens))
            }
            return .none(mode: mode, reason: "no free boundary to mark")
        }
        let prices = UnitPrices(profile: profile)
        let options =
            mode == .force
            ? forceOptions(candidates, ttl: policy.forceTTL)
            : autoOptions(candidates, prices: prices, policy: policy)
        let chosen = optimise(options: options, fixed: fixed, slots: slots)
        if chosen.isEmpty {
            let best = candidates.reduce(0) { max($0, $1.assessment.estimate.hits5mMilli) }
            return .none(
                mode: mode, account: .nothingPays(bestMilli: best, breakEvenMilli: prices.breakEvenMilli(.fiveMinutes)))
        }
        var breakpoints: [CachePlan.Breakpoint] = []
        var saving = Int128(0)
        var previousTokens = 0
        var fixedIndex = 0
        for pick in chosen {
            while fixedIndex < fixed.count, fixed[fixedIndex].blockPosition < pick.candidate.boundary.blockPosition {
                previousTokens = fixed[fixedIndex].prefixTokens
                fixedIndex += 1
            }
            let candidate = pick.candidate
            let segment = candidate.boundary.prefixTokens - previousTokens
            saving += Int128(segment) * prices.unitValue(candidate.assessment, ttl: pick.ttl)
            previousTokens = candidate.boundary.prefixTokens
            breakpoints.append(
                CachePlan.Breakpoint(
                    location: candidate.boundary.location, kind: candidate.boundary.kind,
                    blockPosition: candidate.boundary.blockPosition, ttl: pick.ttl,
                    prefixTokens: candidate.boundary.prefixTokens,
                    expectedHitsMilli: candidate.assessment.estimate.hitsMilli(pick.ttl),
                    expectsRead: candidate.assessment.cachedTTL != nil,
                    why: .planned(
                        prefixTokens: candidate.boundary.prefixTokens, kind: candidate.boundary.kind, ttl: pick.ttl,
                        forced: mode == .force, assessment: candidate.assessment,
                        breakEvenMilli: prices.breakEvenMilli(pick.ttl))))
        }
        return CachePlan(
            mode: mode, breakpoints: breakpoints, account: .breakpoints(fixed: fixed.count, slots: slots),
            expectedSaving: Money(nanoUSD: Int64(saving / UnitPrices.scale)))
    }

    /// True when no 1h TTL follows a 5m one.
    public static func isTTLOrderValid(_ ttls: [CacheTTL]) -> Bool {
        zip(ttls, ttls.dropFirst()).allSatisfy { $0 >= $1 }
    }

    // MARK: - Candidates and their options

    struct Candidate {
        var boundary: CacheBoundary
        var assessment: BoundaryAssessment
    }

    /// A candidate with the TTLs it may take and the DP weight of each (per token of its segment).
    struct Option {
        var candidate: Candidate
        /// At most one per TTL, held inline (an array here was an allocation per candidate and request).
        var choices: Choices
    }

    /// The TTLs an option may take with their DP weights: at most two (one per TTL), without an allocation.
    struct Choices {
        typealias Choice = (ttl: CacheTTL, weight: Int128, bonus: Int128)
        private var first: Choice = (.fiveMinutes, 0, 0)
        private var second: Choice = (.fiveMinutes, 0, 0)
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        mutating func append(_ choice: Choice) {
            precondition(count < 2, "an option has one choice per TTL")
            if count == 0 { first = choice } else { second = choice }
            count += 1
        }

        subscript(index: Int) -> Choice { index == 0 ? first : second }
    }

    struct Pick {
        var candidate: Candidate
        var ttl: CacheTTL
    }

    /// Auto: a candidate may take each TTL whose unit value is positive (a cached one only its own TTL), and
    /// runs of candidates the table cannot tell apart collapse onto the deepest, which caches the most.
    static func autoOptions(_ candidates: [Candidate], prices: UnitPrices, policy: CachePolicy) -> [Option] {
        let deepestCached = candidates.lastIndex { $0.assessment.cachedTTL != nil }
        var options: [Option] = []
        options.reserveCapacity(candidates.count)
        for (index, candidate) in candidates.enumerated() {
            // Below an entry that will be read, a write cannot happen: the read covers that prefix.
            if let deepestCached, index < deepestCached, candidate.assessment.cachedTTL == nil { continue }
            if index + 1 < candidates.count, candidates[index + 1].assessment == candidate.assessment,
                candidate.assessment.cachedTTL == nil
            {
                continue
            }
            var choices = Choices()
            if let cached = candidate.assessment.cachedTTL {
                choices.append((cached, prices.unitValue(candidate.assessment, ttl: cached), 0))
            } else {
                for ttl in CacheTTL.allCases where ttl == .fiveMinutes || policy.allowOneHour {
                    let hits = candidate.assessment.estimate.hitsMilli(ttl)
                    guard hits >= policy.minExpectedReusesMilli else { continue }
                    // A speculative write (a prefix never seen) must clear break-even by the policy's margin.
                    if candidate.assessment.isNew,
                        Int128(hits) * 1000 < Int128(prices.breakEvenMilli(ttl)) * Int128(policy.speculativeMarginMilli)
                    {
                        continue
                    }
                    let value = prices.unitValue(candidate.assessment, ttl: ttl)
                    if value > 0 { choices.append((ttl, value, 0)) }
                }
            }
            if !choices.isEmpty { options.append(Option(candidate: candidate, choices: choices)) }
        }
        return options
    }

    /// Force: every stable boundary takes the forced TTL; each one counts, deeper ones a little more, so that
    /// with too few slots the deepest (which caches the most) win.
    static func forceOptions(_ candidates: [Candidate], ttl: CacheTTL) -> [Option] {
        candidates.map {
            var choices = Choices()
            choices.append((ttl, 1, Int128(1) << 40))
            return Option(candidate: $0, choices: choices)
        }
    }

    // MARK: - Words

    /// Why a boundary was marked, in words (built only when a plan's reasons are read).
    static func reason(
        prefixTokens: Int, kind: CacheBoundaryKind, ttl: CacheTTL, forced: Bool, assessment: BoundaryAssessment,
        breakEvenMilli: Int
    ) -> String {
        let hits = decimal(assessment.estimate.hitsMilli(ttl))
        let tokens = "~\(prefixTokens) tokens, \(kind)"
        if forced { return "\(tokens): marked \(ttl.rawValue) because the policy forces caching" }
        if let cached = assessment.cachedTTL {
            return
                "\(tokens): written \(assessment.cachedAgeMillis / 1000)s ago with \(cached.rawValue), read now and refreshed; \(hits) more hits expected"
        }
        let breakEven = decimal(breakEvenMilli)
        if assessment.sightings > 0 {
            return
                "\(tokens): seen ~\(decimal(Int(assessment.sightings * 1000))) times before; \(hits) hits expected within \(ttl.rawValue) chains, break-even \(breakEven)"
        }
        let first = ttl == .oneHour ? assessment.estimate.first1hMilli : assessment.estimate.first5mMilli
        return
            "\(tokens): new prefix; \(first / 10)% of new ones of this kind came back within \(ttl.rawValue); their first-sighting writes earned \(hits) hits each, break-even \(breakEven)"
    }

    /// Thousandths as a decimal with two places, e.g. 1250 → "1.25".
    static func decimal(_ milli: Int) -> String {
        let hundredths = (milli + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Prices per million tokens in nano-dollars, and the unit value of a breakpoint in those units × 1000 (hits
/// are in thousandths), so that a segment's value is `tokens × unitValue / scale` nano-dollars, exactly.
struct UnitPrices {
    var input: Int128
    var read: Int128
    var write5m: Int128
    var write1h: Int128
    /// 10⁶ tokens per MTok × 1000 (hits in thousandths).
    static let scale: Int128 = 1_000_000_000

    init(profile: CacheModelProfile) {
        input = Int128(profile.inputPerMTok.nanoUSD)
        read = Int128(profile.readPerMTok.nanoUSD)
        write5m = Int128(profile.write5mPerMTok.nanoUSD)
        write1h = Int128(profile.write1hPerMTok.nanoUSD)
    }

    func write(_ ttl: CacheTTL) -> Int128 { ttl == .oneHour ? write1h : write5m }

    /// Expected saving per token of the segment, × scale / 10⁶: hits × (input − read) − (write − input), or for
    /// an entry already held, (1 + hits) × (input − read) (a read now, refreshes free).
    func unitValue(_ assessment: BoundaryAssessment, ttl: CacheTTL) -> Int128 {
        let hits = Int128(assessment.estimate.hitsMilli(ttl))
        if assessment.cachedTTL != nil { return (1000 + hits) * (input - read) }
        return hits * (input - read) - 1000 * (write(ttl) - input)
    }

    /// The expected hits at which a write of this TTL breaks even, in thousandths.
    func breakEvenMilli(_ ttl: CacheTTL) -> Int {
        guard input > read else { return Int.max }
        return Int((1000 * (write(ttl) - input) + (input - read) - 1) / (input - read))
    }
}
