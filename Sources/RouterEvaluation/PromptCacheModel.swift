public import ClaudeAPI
public import RouterCore
/// A small model of the Claude API's prompt cache, faithful to the documented rules, for replaying traces.
///
/// - An entry is written only at a breakpoint, keyed by the hash of the prefix that ends there, with the
///   breakpoint's TTL; it becomes readable `readableDelayMillis` after the writing request starts (the API makes
///   an entry readable once the first response begins, so concurrent identical requests all miss).
/// - A read checks each breakpoint's position and walks back one block at a time, at most 20 positions per
///   breakpoint (the breakpoint counts as the first), for a live entry of this request's prefix there.
/// - A hit refreshes the entry's TTL from the start of the request, at no cost.
/// - With `evictAfterMillis`, an entry left unread that long is gone though its TTL has not run out (the API
///   promises a minimum lifetime; this models a cache under pressure, to test the planner's feedback).
/// - A breakpoint whose prefix is shorter than the model's minimum is ignored, silently.
/// - Billing as the API's: A = tokens at the highest hit, B = at the highest 1h breakpoint after A, C = at the
///   last breakpoint; read A, 1h write B − A, 5m write C − B, the rest plain input.
public struct PromptCacheModel: Sendable {
    /// One breakpoint of a replayed request.
    public struct Breakpoint: Sendable, Hashable {
        /// Block position (0-based).
        public var position: Int
        /// TTL written.
        public var ttl: CacheTTL
    }

    /// Why the model refused a request, as the API would with a 400.
    public enum Rejection: Error, Sendable, Hashable {
        case tooManyBreakpoints(Int)
        case ttlOrder
    }

    struct Entry: Sendable {
        var expiresMillis: Int64
        var readableMillis: Int64
        var ttl: CacheTTL
    }

    /// The lookback window per breakpoint, in block positions.
    public static let lookback = 20
    /// The most breakpoints per request.
    public static let maxBreakpoints = 4

    /// The model's minimum cacheable prefix, in tokens.
    public let minCacheableTokens: Int
    /// How long after its request starts an entry becomes readable.
    public let readableDelayMillis: Int64
    /// When set, how long an entry lives after its last write or read, whatever its TTL.
    public let evictAfterMillis: Int64?
    private var entries: [UInt64: Entry] = [:]
    private var requestsSincePurge = 0

    /// Creates an empty cache.
    public init(minCacheableTokens: Int, readableDelayMillis: Int64 = 1_000, evictAfterMillis: Int64? = nil) {
        self.minCacheableTokens = minCacheableTokens
        self.readableDelayMillis = readableDelayMillis
        self.evictAfterMillis = evictAfterMillis
    }

    /// How long an entry written or read now lives.
    func lifetime(_ ttl: CacheTTL) -> Int64 { min(ttl.millis, evictAfterMillis ?? ttl.millis) }

    /// Entries held, live or expired but not yet purged (for tests).
    public var entryCount: Int { entries.count }

    /// The TTL of a live, readable entry for this prefix at `nowMillis`, or nil.
    public func readableTTL(_ prefixHash: UInt64, nowMillis: Int64) -> CacheTTL? {
        guard let entry = entries[prefixHash], entry.expiresMillis >= nowMillis, entry.readableMillis <= nowMillis
        else { return nil }
        return entry.ttl
    }

    /// Serves one request: reads what it can, writes its breakpoints, and returns the input side of its usage.
    ///
    /// - Parameters:
    ///   - prefixHashes: the hash of the prefix ending at each block position.
    ///   - prefixTokens: the tokens of the prefix ending at each block position (non-decreasing).
    ///   - breakpoints: the request's breakpoints, in position order.
    public mutating func serve(
        prefixHashes: [UInt64], prefixTokens: [Int], breakpoints: [Breakpoint], nowMillis: Int64
    ) throws(Rejection) -> TokenUsage {
        guard breakpoints.count <= Self.maxBreakpoints else { throw .tooManyBreakpoints(breakpoints.count) }
        guard CacheDecision.isTTLOrderValid(breakpoints.map(\.ttl)) else { throw .ttlOrder }
        let total = prefixTokens.last ?? 0
        let usable = breakpoints.filter {
            prefixHashes.indices.contains($0.position) && prefixTokens[$0.position] >= minCacheableTokens
        }
        // A: the deepest live entry any breakpoint's lookback finds.
        var hitPosition = -1
        for breakpoint in usable {
            let lowest = max(0, breakpoint.position - Self.lookback + 1)
            for position in stride(from: breakpoint.position, through: lowest, by: -1) where position > hitPosition {
                guard let entry = entries[prefixHashes[position]], prefixTokens[position] >= minCacheableTokens,
                    entry.expiresMillis >= nowMillis, entry.readableMillis <= nowMillis
                else { continue }
                hitPosition = position
                break
            }
        }
        let a = hitPosition >= 0 ? prefixTokens[hitPosition] : 0
        var usage = TokenUsage(cacheRead: Int64(a))
        var b = a
        var c = a
        for breakpoint in usable where breakpoint.position > hitPosition {
            let tokens = prefixTokens[breakpoint.position]
            if breakpoint.ttl == .oneHour { b = max(b, tokens) }
            c = max(c, tokens)
        }
        usage.cacheWrite1h = Int64(b - a)
        usage.cacheWrite5m = Int64(c - b)
        usage.input = Int64(total - c)
        // Refresh the entry read with its own TTL, from this request's start; write the rest.
        if hitPosition >= 0, var entry = entries[prefixHashes[hitPosition]] {
            entry.expiresMillis = max(entry.expiresMillis, nowMillis + lifetime(entry.ttl))
            entries[prefixHashes[hitPosition]] = entry
        }
        for breakpoint in usable where breakpoint.position > hitPosition {
            let key = prefixHashes[breakpoint.position]
            let live = entries[key].map { $0.expiresMillis >= nowMillis } ?? false
            if live, var entry = entries[key] {
                // A concurrent write of the same prefix: it stays readable from the first writer's response on.
                entry.expiresMillis = max(entry.expiresMillis, nowMillis + lifetime(breakpoint.ttl))
                entry.ttl = max(entry.ttl, breakpoint.ttl)
                entries[key] = entry
            } else {
                entries[key] = Entry(
                    expiresMillis: nowMillis + lifetime(breakpoint.ttl), readableMillis: nowMillis + readableDelayMillis,
                    ttl: breakpoint.ttl)
            }
        }
        requestsSincePurge += 1
        if requestsSincePurge >= 1_024 {
            requestsSincePurge = 0
            entries = entries.filter { $0.value.expiresMillis >= nowMillis }
        }
        return usage
    }
}
