import Synchronization

/// The prompt-cache emulation (reference §7): entries keyed by the hash of a prefix, each with a TTL measured
/// from the start of the last request that wrote or read it.
///
/// A request first `lookup`s (hits refresh their TTL at once) and gets a `Plan`; its writes are `commit`ted
/// only when its response starts, so concurrent identical requests all miss, as on the real API.
/// A final class around a `Mutex` because all requests share the cache.
final class PromptCache: Sendable {
    /// What one request reads and will write.
    struct Plan: Sendable {
        var usage: CacheUsage
        var writes: [(hash: StableHash, ttl: CacheTTL)]
        var requestStart: Double
    }

    private struct Entry {
        var expiresAt: Double
        var ttl: CacheTTL
    }

    private struct State {
        var entries: [StableHash: Entry] = [:]
        var commitsSinceSweep = 0
    }

    /// Positions a read looks at per breakpoint, the breakpoint included.
    static let lookback = 20
    private let state = Mutex(State())

    init() {}

    /// Finds the longest cached prefix reachable from the breakpoints, refreshes it, and plans the writes.
    func lookup(_ layout: PromptLayout, minimumTokens: Int, now: Double) -> Plan {
        let breakpoints = layout.breakpoints
        guard !breakpoints.isEmpty else {
            return Plan(usage: CacheUsage(inputTokens: layout.totalTokens), writes: [], requestStart: now)
        }
        let hashes = layout.prefixHashes
        return state.withLock { state in
            var hit = -1
            for breakpoint in breakpoints {
                var position = breakpoint.index
                var looked = 0
                while position >= 0 && looked < Self.lookback {
                    if let entry = state.entries[hashes[position]], entry.expiresAt > now {
                        hit = max(hit, position)
                        break
                    }
                    position -= 1
                    looked += 1
                }
            }
            // A read refreshes the entry it hit, and any breakpoint entry inside the hit prefix, at no cost.
            if hit >= 0 {
                if let ttl = state.entries[hashes[hit]]?.ttl { state.entries[hashes[hit]]?.expiresAt = now + ttl.seconds }
                for breakpoint in breakpoints where breakpoint.index < hit {
                    if let entry = state.entries[hashes[breakpoint.index]], entry.expiresAt > now {
                        let ttl = max(entry.ttl, breakpoint.ttl)
                        state.entries[hashes[breakpoint.index]] = Entry(expiresAt: now + ttl.seconds, ttl: ttl)
                    }
                }
            }
            let read = hit >= 0 ? layout.tokens(through: hit) : 0
            var oneHourEnd = read
            var lastEnd = read
            var writes: [(hash: StableHash, ttl: CacheTTL)] = []
            for breakpoint in breakpoints where breakpoint.index > hit {
                let end = layout.tokens(through: breakpoint.index)
                // Below the model's minimum nothing is cached, silently.
                guard end >= minimumTokens else { continue }
                writes.append((hashes[breakpoint.index], breakpoint.ttl))
                lastEnd = max(lastEnd, end)
                if breakpoint.ttl == .oneHour { oneHourEnd = max(oneHourEnd, end) }
            }
            let usage = CacheUsage(
                inputTokens: layout.totalTokens - lastEnd,
                cacheWrite5m: lastEnd - oneHourEnd,
                cacheWrite1h: oneHourEnd - read,
                cacheRead: read)
            return Plan(usage: usage, writes: writes, requestStart: now)
        }
    }

    /// Makes a plan's writes readable; call when the response starts. TTLs count from the request's start.
    func commit(_ plan: Plan) {
        guard !plan.writes.isEmpty else { return }
        state.withLock { state in
            for write in plan.writes {
                let existing = state.entries[write.hash]
                let ttl = max(existing?.ttl ?? write.ttl, write.ttl)
                let expiresAt = max(existing?.expiresAt ?? 0, plan.requestStart + ttl.seconds)
                state.entries[write.hash] = Entry(expiresAt: expiresAt, ttl: ttl)
            }
            state.commitsSinceSweep += 1
            if state.commitsSinceSweep >= 4_096 {
                state.commitsSinceSweep = 0
                let now = plan.requestStart
                state.entries = state.entries.filter { $0.value.expiresAt > now }
            }
        }
    }

    /// Forgets every entry.
    func removeAll() {
        state.withLock { $0 = State() }
    }

    /// Number of live entries at `now` (for tests and `/_sim/state`).
    func count(at now: Double) -> Int {
        state.withLock { $0.entries.values.count { $0.expiresAt > now } }
    }
}

extension CacheTTL: Comparable {
    /// 5m < 1h.
    public static func < (lhs: CacheTTL, rhs: CacheTTL) -> Bool { lhs.seconds < rhs.seconds }
}
