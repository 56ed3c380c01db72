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
        let fixedPositions = Set(fixed.map(\.blockPosition))
        var candidates: [Candidate] = []
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
                return .none(
                    mode: mode,
                    reason:
                        "no prefix reaches \(profile.model)'s minimum of \(profile.minCacheableTokens) tokens (longest free one is shorter)"
                )
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
            return .none(mode: mode, reason: noneReason(candidates, prices: prices, policy: policy, mode: mode))
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
                    reason: reason(candidate, ttl: pick.ttl, prices: prices, forced: mode == .force)))
        }
        var reasons = breakpoints.map { "\($0.location): \($0.reason)" }
        if !fixed.isEmpty {
            reasons.append("kept the client's \(fixed.count) breakpoint(s); \(slots) slot(s) were free")
        }
        return CachePlan(
            mode: mode, breakpoints: breakpoints, reasons: reasons,
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
        var choices: [(ttl: CacheTTL, weight: Int128, bonus: Int128)]
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
        for (index, candidate) in candidates.enumerated() {
            // Below an entry that will be read, a write cannot happen: the read covers that prefix.
            if let deepestCached, index < deepestCached, candidate.assessment.cachedTTL == nil { continue }
            if index + 1 < candidates.count, candidates[index + 1].assessment == candidate.assessment,
                candidate.assessment.cachedTTL == nil
            {
                continue
            }
            var choices: [(ttl: CacheTTL, weight: Int128, bonus: Int128)] = []
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
        candidates.map { Option(candidate: $0, choices: [(ttl, 1, Int128(1) << 40)]) }
    }

    /// Chooses at most `slots` options and a TTL for each, maximising the summed segment values, with every
    /// fixed breakpoint kept as a segment boundary and TTLs non-increasing along the whole request.
    static func optimise(options: [Option], fixed: [ClientCacheMarker], slots: Int) -> [Pick] {
        // Items in request order: fixed markers (mandatory, weight 0) and options.
        struct Item {
            var position: Int
            var tokens: Int
            var mandatoryTTL: CacheTTL?
            var option: Option?
        }
        var items = fixed.map {
            Item(position: $0.blockPosition, tokens: $0.prefixTokens, mandatoryTTL: $0.ttl, option: nil)
        }
        items += options.map {
            Item(
                position: $0.candidate.boundary.blockPosition, tokens: $0.candidate.boundary.prefixTokens,
                mandatoryTTL: nil, option: $0)
        }
        items.sort { $0.position < $1.position }
        let count = items.count
        let ttls = CacheTTL.allCases
        let ttlCount = ttls.count
        // best[(i, used, t)]: best value of a valid selection whose last breakpoint is item i with TTL ttls[t],
        // in one flat buffer (this runs on every request: no nested arrays, no optionals).
        func slot(_ i: Int, _ used: Int, _ t: Int) -> Int { (i * (slots + 1) + used) * ttlCount + t }
        let states = count * (slots + 1) * ttlCount
        var value = [Int128](repeating: 0, count: states)
        var reached = [Bool](repeating: false, count: states)
        var previous = [Int32](repeating: -1, count: states)
        // The first mandatory item after each index: a selection may not skip it.
        var nextMandatory = [Int](repeating: count, count: count + 1)
        for i in stride(from: count - 1, through: 0, by: -1) {
            nextMandatory[i] = items[i].mandatoryTTL != nil ? i : nextMandatory[i + 1]
        }
        for i in 0..<count {
            let item = items[i]
            let choices: [(ttl: CacheTTL, weight: Int128, bonus: Int128)] =
                item.mandatoryTTL.map { [($0, 0, 0)] } ?? item.option!.choices
            let cost = item.mandatoryTTL == nil ? 1 : 0
            for choice in choices {
                guard let t = ttls.firstIndex(of: choice.ttl), cost <= slots else { continue }
                // From the start of the request (no breakpoint before), allowed when no mandatory item is skipped.
                if nextMandatory[0] >= i {
                    let candidate = Int128(item.tokens) * choice.weight + choice.bonus
                    let target = slot(i, cost, t)
                    if !reached[target] || value[target] < candidate {
                        value[target] = candidate
                        reached[target] = true
                        previous[target] = -1
                    }
                }
                for j in 0..<i where nextMandatory[j + 1] >= i {
                    let segment = Int128(item.tokens - items[j].tokens) * choice.weight + choice.bonus
                    for used in 0...(slots - cost) {
                        for pt in 0..<ttlCount where ttls[pt] >= choice.ttl {
                            let from = slot(j, used, pt)
                            guard reached[from] else { continue }
                            let candidate = value[from] + segment
                            let target = slot(i, used + cost, t)
                            if !reached[target] || value[target] < candidate {
                                value[target] = candidate
                                reached[target] = true
                                previous[target] = Int32(from)
                            }
                        }
                    }
                }
            }
        }
        // The best selection ends at an item after which no mandatory item remains.
        var end = -1
        var endValue = Int128(0)
        for i in 0..<count where nextMandatory[i + 1] == count {
            for used in 0...slots {
                for t in 0..<ttlCount where reached[slot(i, used, t)] && value[slot(i, used, t)] > endValue {
                    endValue = value[slot(i, used, t)]
                    end = slot(i, used, t)
                }
            }
        }
        var picks: [Pick] = []
        var cursor = end
        while cursor >= 0 {
            let item = cursor / ((slots + 1) * ttlCount)
            if let option = items[item].option {
                picks.append(Pick(candidate: option.candidate, ttl: ttls[cursor % ttlCount]))
            }
            cursor = Int(previous[cursor])
        }
        return picks.reversed()
    }

    // MARK: - Words

    static func reason(_ candidate: Candidate, ttl: CacheTTL, prices: UnitPrices, forced: Bool) -> String {
        let assessment = candidate.assessment
        let hits = decimal(assessment.estimate.hitsMilli(ttl))
        let tokens = "~\(candidate.boundary.prefixTokens) tokens, \(candidate.boundary.kind)"
        if forced { return "\(tokens): marked \(ttl.rawValue) because the policy forces caching" }
        if let cached = assessment.cachedTTL {
            return
                "\(tokens): written \(assessment.cachedAgeMillis / 1000)s ago with \(cached.rawValue), read now and refreshed; \(hits) more hits expected"
        }
        let breakEven = decimal(prices.breakEvenMilli(ttl))
        if assessment.sightings > 0 {
            return
                "\(tokens): seen ~\(decimal(Int(assessment.sightings * 1000))) times before; \(hits) hits expected within \(ttl.rawValue) chains, break-even \(breakEven)"
        }
        let first = ttl == .oneHour ? assessment.estimate.first1hMilli : assessment.estimate.first5mMilli
        return
            "\(tokens): new prefix; \(first / 10)% of new ones of this kind came back within \(ttl.rawValue); their first-sighting writes earned \(hits) hits each, break-even \(breakEven)"
    }

    static func noneReason(_ candidates: [Candidate], prices: UnitPrices, policy: CachePolicy, mode: CachePolicy.Mode)
        -> String
    {
        let best = candidates.map { max($0.assessment.estimate.hits5mMilli, 0) }.max() ?? 0
        return
            "no boundary pays: at most \(decimal(best)) expected hits within 5m, break-even \(decimal(prices.breakEvenMilli(.fiveMinutes)))"
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
