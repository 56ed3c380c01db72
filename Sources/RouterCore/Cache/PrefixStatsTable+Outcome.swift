public import ClaudeAPI
import Foundation

/// Learning from the API's reported usage: which entries were read or written, the token scale and the real minimum.
extension PrefixStatsTable {
    /// Corrects what the table believes the API holds from what the API reported for one request that went
    /// upstream with breakpoints at `marked` (block position → TTL, as sent).
    ///
    /// The reported `cache_read_input_tokens` end at the entry the API read: the boundary whose prefix ends
    /// there (estimates scaled to the reported total) is cached, refreshed now. Breakpoints the reported writes
    /// cover are cached from now with their TTL. A breakpoint past both, believed cached or just marked, is not:
    /// the entry had expired or been evicted, or the prefix is under the model's real minimum, so the belief is
    /// dropped and the planner no longer counts on a free read there.
    public mutating func observeOutcome(
        _ features: CacheRequestFeatures, marked: [Int: CacheTTL], usage: TokenUsage, nowMillis: Int64
    ) {
        observeOutcome(features, marks: BreakpointMarks(marked), usage: usage, nowMillis: nowMillis)
    }

    /// `observeOutcome(_:marked:usage:nowMillis:)` with the breakpoints as the planner keeps them.
    mutating func observeOutcome(
        _ features: CacheRequestFeatures, marks marked: BreakpointMarks, usage: TokenUsage, nowMillis: Int64
    ) {
        let reported = usage.totalInput
        let estimated = max(features.totalTokens, features.boundaries.last?.prefixTokens ?? 0)
        guard reported > 0, estimated > 0, !features.boundaries.isEmpty else { return }
        let model = Self.modelKey(features.model)
        learn(model: model, features: features, marked: marked, usage: usage, scale: (reported, estimated),
            nowMillis: nowMillis)
        // Estimated prefix lengths on the reported scale (the router's token estimate is not the API's count).
        func real(_ boundary: CacheBoundary) -> Int64 {
            Int64((Int128(boundary.prefixTokens) * Int128(reported) / Int128(estimated)))
        }
        // Within 2% (and 16 tokens) counts as the same boundary: estimates are close, boundaries far apart.
        func slack(_ tokens: Int64) -> Int64 { tokens / 50 + 16 }
        var readPosition: Int?
        if usage.cacheRead > 0 {
            // The first boundary nearest to the read (each scaled length computed once: a 128-bit division each).
            var nearest: (position: Int, distance: Int64)?
            for boundary in features.boundaries {
                let distance = abs(real(boundary) - usage.cacheRead)
                if nearest == nil || distance < nearest!.distance { nearest = (boundary.blockPosition, distance) }
            }
            if let nearest, nearest.distance <= slack(usage.cacheRead) {
                readPosition = nearest.position
            }
        }
        let covered = usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h
        for boundary in features.boundaries
        where boundary.blockPosition == readPosition || marked[boundary.blockPosition] != nil {
            let key = Self.entryKey(model: model, prefix: boundary.prefixHash)
            guard let position = entries.position(of: key) else { continue }
            var entry = entries.values[position]
            if boundary.blockPosition == readPosition {
                entry.markedAtMillis = nowMillis
                entry.markedTTL = entry.markedTTL ?? marked[boundary.blockPosition] ?? .fiveMinutes
            } else if let ttl = marked[boundary.blockPosition] {
                let beyondRead = readPosition.map { boundary.blockPosition > $0 } ?? true
                if beyondRead && usage.cacheWrite5m + usage.cacheWrite1h > 0
                    && real(boundary) <= covered + slack(covered)
                {
                    entry.markedAtMillis = nowMillis
                    entry.markedTTL = ttl
                } else if beyondRead {
                    entry.markedAtMillis = 0
                    entry.markedTTL = nil
                }
            } else {
                continue
            }
            entries.values[position] = entry
        }
    }

    /// Learns the model's token scale and real minimum from one report: the estimate is corrected towards
    /// the reported total (halfway each time), and a request whose breakpoints the API neither read nor wrote
    /// shows its deepest marked prefix is under the real minimum (an unread breakpoint at or over it is always
    /// written); a written one shows the minimum is no higher than its length.
    mutating func learn(
        model: UInt64, features: CacheRequestFeatures, marked: BreakpointMarks, usage: TokenUsage,
        scale: (reported: Int64, estimated: Int), nowMillis: Int64
    ) {
        var state = feedback[model] ?? ModelFeedback()
        if feedback[model] == nil, feedback.count >= Self.maxKindRecords { return }
        let ratio = min(4, max(0.25, Double(scale.reported) / Double(scale.estimated)))
        state.tokenScale = (state.tokenScale + ratio) / 2
        func real(_ tokens: Int) -> Int { Int(Int128(tokens) * Int128(scale.reported) / Int128(scale.estimated)) }
        // The longest and shortest marked prefixes, in one pass without building arrays.
        var deepestMarked: Int?
        var shortestMarked: Int?
        for boundary in features.boundaries where marked[boundary.blockPosition] != nil {
            let tokens = real(boundary.prefixTokens)
            deepestMarked = max(deepestMarked ?? tokens, tokens)
            shortestMarked = min(shortestMarked ?? tokens, tokens)
        }
        if nowMillis - state.uncachedSinceMillis > CacheTTL.oneHour.millis { state.uncachedBelow = 0 }
        if let deepest = deepestMarked, usage.cacheRead == 0, usage.cacheWrite5m + usage.cacheWrite1h == 0 {
            state.uncachedBelow = max(state.uncachedBelow, deepest + 1)
            state.uncachedSinceMillis = nowMillis
        } else if usage.cacheWrite5m + usage.cacheWrite1h > 0, let shortest = shortestMarked,
            shortest > usage.cacheRead, shortest < state.uncachedBelow
        {
            state.uncachedBelow = shortest
        }
        feedback[model] = state
    }
}
