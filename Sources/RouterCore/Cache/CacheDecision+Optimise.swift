import ClaudeAPI

/// The dynamic programme that picks at most the free slots with the best total value.
extension CacheDecision {
    /// Chooses at most `slots` options and a TTL for each, maximising the summed segment values, with every
    /// fixed breakpoint kept as a segment boundary and TTLs non-increasing along the whole request.
    ///
    /// A dynamic programme over (item, breakpoints used, TTL of the last one). Reaching item i with weight w from
    /// an earlier state j is worth value(j) + (tokens(i) − tokens(j))·w, so the best predecessor is the top of the
    /// lines value(j) − tokens(j)·x at x = w: one upper envelope per (used, TTL), fed in request order, answers
    /// it in O(log n), and the whole programme costs O(n · slots · log n) instead of O(n² · slots) (long agent
    /// transcripts have a hundred candidates).
    static func optimise(options: [Option], fixed: [ClientCacheMarker], slots: Int) -> [Pick] {
        // Items in request order: fixed markers (mandatory, weight 0) and options.
        // Small items that point at their option (an option holds its boundary and assessment: copying it per
        // item was a good part of this function's time).
        struct Item {
            var position: Int
            var tokens: Int
            /// The TTL index (0 = 5m, 1 = 1h: `CacheTTL.allCases` order, which is also the TTLs' order) of a
            /// mandatory item, or -1 for an option.
            var mandatoryTTL: Int
            var option: Int
        }
        // TTL indices compare as the TTLs do (5m < 1h), without a call into ClaudeAPI per comparison.
        func ttlIndex(_ ttl: CacheTTL) -> Int { ttl == .oneHour ? 1 : 0 }
        let ttls = CacheTTL.allCases
        let ttlCount = 2
        assert(ttls.count == ttlCount && ttls[0] < ttls[1] && ttlIndex(ttls[1]) == 1)
        var items: [Item] = []
        items.reserveCapacity(fixed.count + options.count)
        for marker in fixed {
            items.append(
                Item(
                    position: marker.blockPosition, tokens: marker.prefixTokens, mandatoryTTL: ttlIndex(marker.ttl),
                    option: -1))
        }
        for (index, option) in options.enumerated() {
            items.append(
                Item(
                    position: option.candidate.boundary.blockPosition, tokens: option.candidate.boundary.prefixTokens,
                    mandatoryTTL: -1, option: index))
        }
        if !fixed.isEmpty { items.sort { $0.position < $1.position } }
        let count = items.count
        guard count > 0 else { return [] }
        // State (i, used, t): the best value of a valid selection whose last breakpoint is item i with TTL index t,
        // having used `used` slots; one flat buffer, allocated once per request (no nested arrays, no optionals).
        struct State {
            var value: Int128
            var previous: Int32
            var reached: Bool
        }
        let perItem = (slots + 1) * ttlCount
        let stateCount = count * perItem
        let states = UnsafeMutableBufferPointer<State>.allocate(capacity: stateCount)
        states.initialize(repeating: State(value: 0, previous: -1, reached: false))
        defer { states.deallocate() }
        var envelopes = Envelopes(count: perItem, capacity: count)
        defer { envelopes.deallocate() }
        // A selection may not skip a mandatory item: none may start from the request's start after one, nor
        // from an item before one.
        var mandatorySeen = false
        for i in 0..<count {
            let item = items[i]
            let base = i * perItem
            let cost = item.mandatoryTTL < 0 ? 1 : 0
            if cost <= slots {
                // One (TTL, weight, bonus) per choice: a mandatory item has its own TTL and weight 0.
                let choiceCount = item.mandatoryTTL < 0 ? options[item.option].choices.count : 1
                for k in 0..<choiceCount {
                    let t: Int
                    let weight: Int128
                    let bonus: Int128
                    if item.mandatoryTTL >= 0 {
                        (t, weight, bonus) = (item.mandatoryTTL, 0, 0)
                    } else {
                        let choice = options[item.option].choices[k]
                        (t, weight, bonus) = (ttlIndex(choice.ttl), choice.weight, choice.bonus)
                    }
                    let gain = Int128(item.tokens) &* weight &+ bonus
                    if !mandatorySeen {
                        let target = base + cost * ttlCount + t
                        if !states[target].reached || states[target].value < gain {
                            states[target] = State(value: gain, previous: -1, reached: true)
                        }
                    }
                    for used in 0...(slots - cost) {
                        // The previous breakpoint's TTL may not be shorter than this one's.
                        for pt in t..<ttlCount {
                            guard let best = envelopes.best(used * ttlCount + pt, at: weight) else { continue }
                            let candidate = best.value &+ gain
                            let target = base + (used + cost) * ttlCount + t
                            if !states[target].reached || states[target].value < candidate {
                                states[target] = State(value: candidate, previous: best.id, reached: true)
                            }
                        }
                    }
                }
            }
            if item.mandatoryTTL >= 0 {
                mandatorySeen = true
                envelopes.removeAll()
            }
            for e in 0..<perItem where states[base + e].reached {
                envelopes.add(e, tokens: item.tokens, value: states[base + e].value, id: Int32(base + e))
            }
        }
        // The best selection ends at an item after which no mandatory item remains.
        let lastMandatory = items.lastIndex { $0.mandatoryTTL >= 0 } ?? -1
        var end = -1
        var endValue = Int128(0)
        for target in (max(0, lastMandatory) * perItem)..<stateCount
        where states[target].reached && states[target].value > endValue {
            endValue = states[target].value
            end = target
        }
        var picks: [Pick] = []
        var cursor = end
        while cursor >= 0 {
            let item = cursor / perItem
            if items[item].option >= 0 {
                picks.append(Pick(candidate: options[items[item].option].candidate, ttl: ttls[cursor % ttlCount]))
            }
            cursor = Int(states[cursor].previous)
        }
        return picks.reversed()
    }

    /// The upper envelopes of lines y = value − tokens·x, one per (breakpoints used, TTL), each fed in order of
    /// non-decreasing tokens and asked for its top at x ≥ 0 (the convex-hull trick). Every envelope gets at most
    /// one line per item, so all live in one buffer allocated once per request (and never initialised: only the
    /// first `counts[e]` lines of an envelope are read); the owner calls `deallocate()`.
    struct Envelopes {
        struct Line {
            var tokens: Int128
            var value: Int128
            var id: Int32
        }
        private let lines: UnsafeMutableBufferPointer<Line>
        private let counts: UnsafeMutableBufferPointer<Int>
        private let capacity: Int

        init(count: Int, capacity: Int) {
            self.capacity = max(1, capacity)
            lines = .allocate(capacity: count * self.capacity)
            counts = .allocate(capacity: count)
            counts.initialize(repeating: 0)
        }

        func deallocate() {
            lines.deallocate()
            counts.deallocate()
        }

        mutating func removeAll() {
            for e in counts.indices { counts[e] = 0 }
        }

        mutating func add(_ e: Int, tokens t: Int, value: Int128, id: Int32) {
            let base = e * capacity
            var n = counts[e]
            let m = Int128(t)
            if n > 0, lines[base + n - 1].tokens == m {
                // Parallel: the higher line hides the other everywhere; on a tie the earlier stays.
                guard value > lines[base + n - 1].value else { return }
                n -= 1
            }
            // The last line is useless when the new one and the one before it cover it: with m1 < m2 < m3,
            // line 2 beats line 1 for x < (b2 − b1)/(m2 − m1) and line 3 for x > (b3 − b2)/(m3 − m2), so it goes
            // when the second bound is not below the first.
            while n >= 2 {
                let first = lines[base + n - 2]
                let second = lines[base + n - 1]
                // Wrapping arithmetic: values stay under 2^80 and token counts under 2^40, far from overflow, and
                // the checked 128-bit multiply costs several times the product.
                guard
                    (value &- second.value) &* (second.tokens &- first.tokens)
                        >= (second.value &- first.value) &* (m &- second.tokens)
                else { break }
                n -= 1
            }
            (lines.baseAddress! + base + n).initialize(to: Line(tokens: m, value: value, id: id))
            counts[e] = n + 1
        }

        /// The top line of envelope `e` at `x` and its value there, or nil when it is empty.
        func best(_ e: Int, at x: Int128) -> (value: Int128, id: Int32)? {
            let n = counts[e]
            guard n > 0 else { return nil }
            let base = e * capacity
            // Along the envelope the value at x rises, then falls: find the peak.
            var low = 0
            var high = n - 1
            while low < high {
                let mid = (low + high) / 2
                let a = lines[base + mid]
                let b = lines[base + mid + 1]
                if a.value &- a.tokens &* x < b.value &- b.tokens &* x {
                    low = mid + 1
                } else {
                    high = mid
                }
            }
            let top = lines[base + low]
            return (top.value &- top.tokens &* x, top.id)
        }
    }
}
