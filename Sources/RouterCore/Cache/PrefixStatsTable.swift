import ClaudeAPI
import Foundation

/// The planner's memory: a bounded table of prefix hashes with decaying sighting counts, per model.
///
/// Keys are the 64-bit prefix hash mixed with a hash of the model id; values are counts and times only, so no
/// prompt text is ever kept. Every count halves each `halfLifeMillis`, applied lazily when an entry is touched.
/// When the table is full, a sweep drops the quarter of the entries with the lowest decayed weight, which keeps
/// insertion amortised O(1) and the size at or under `capacity`.
public struct PrefixStatsTable: Sendable {
    /// One prefix's record.
    struct Entry: Sendable {
        var sightings: Double
        var gapsWithin5m: Double
        var gapsWithin1h: Double
        var gaps: Double
        var lastSeenMillis: Int64
        var markedAtMillis: Int64
        var markedTTL: CacheTTL?
        /// Raw (undecayed) number of sightings, capped; tells a first re-sighting from later ones.
        var rawSightings: UInt32
        var kind: CacheBoundaryKind
        /// True when this prefix was, at its first sighting, the deepest new boundary of its kind in its request:
        /// only those feed the kind's first-reuse prior, because only those are what the planner would mark
        /// (it always marks the deepest of boundaries it cannot tell apart).
        var feedsPrior: Bool
        /// The client that sent it first: its new-prefix statistics are that client's.
        var clientKey: UInt64
        /// While true, every sighting since the first came within 5 minutes (1 hour) of the one before, so a write
        /// at the first sighting would still be live: its hits count towards the kind's new-prefix return.
        var chain5m: Bool
        var chain1h: Bool
        /// The same, from the second sighting, when that one was the deepest known prefix of its request (where
        /// the planner writes once it has seen a prefix): its hits are the kind's second-sighting payoff.
        var followsSecond: Bool = false
        var second5m: Bool = false
        var second1h: Bool = false
    }

    /// What the API's reports taught about one model: how its token counts compare with the router's
    /// estimates, and the shortest prefix it was seen not to cache.
    public struct ModelFeedback: Sendable, Hashable {
        /// The API's count over the router's estimate (moving average of the reported requests; 1 = exact).
        public var tokenScale: Double = 1
        /// The shortest prefix, in the API's tokens, seen marked yet neither written nor read (0 = none).
        public var uncachedBelow: Int = 0
        /// When `uncachedBelow` was last raised; it lapses after an hour, so one odd report does not last.
        public var uncachedSinceMillis: Int64 = 0

        /// Nothing learned.
        public init() {}
    }

    /// Per-model, per-kind statistics, with the instant they were last decayed to.
    struct KindRecord: Sendable {
        var observation: KindObservation
        var updatedMillis: Int64
    }

    /// The most entries kept.
    public private(set) var capacity: Int
    /// The half-life of every count, in milliseconds.
    public private(set) var halfLifeMillis: Int64
    var entries = PrefixEntryTable<Entry>()
    /// The keys and positions the last `assessments` call looked up, for the `observe` of the same request that
    /// follows it (the router plans and observes each request back to back): valid while `entries` keeps the
    /// generation it had then.
    var lookedUp: (generation: UInt64, keys: [UInt64], positions: [Int?])?
    var kinds: [KindKey: KindRecord] = [:]
    var feedback: [UInt64: ModelFeedback] = [:]
    /// At most this many (model, client) pairs keep their own kind statistics; later ones share the model's.
    static let maxKindRecords = 16_384
    /// The new prefixes a kind record remembers at most: older ones weigh less as new ones come, so a client
    /// whose traffic changes is re-learned within tens of requests, whatever the half-life.
    static let kindWindow = 64.0

    /// Kind statistics of one model: `client` 0 for all clients together, else one client's.
    struct KindKey: Hashable, Sendable {
        var model: UInt64
        var client: UInt64
        var kind: CacheBoundaryKind

        /// One word into the hasher instead of three: the model and client keys are already well mixed, and
        /// hashing was most of a look-up's cost (a handful per request).
        func hash(into hasher: inout Hasher) {
            hasher.combine(model &+ (client ^ UInt64(kind.rawValue)) &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    /// Creates an empty table.
    public init(capacity: Int, halfLifeMillis: Int64) {
        self.capacity = max(8, capacity)
        self.halfLifeMillis = max(1_000, halfLifeMillis)
    }

    /// Applies new settings (a policy reload), keeping what was learned; a smaller capacity evicts at once, the
    /// least used first. Cheap when nothing changed.
    public mutating func reconfigure(capacity newCapacity: Int, halfLifeMillis newHalfLife: Int64) {
        let capacity = max(8, newCapacity)
        let halfLife = max(1_000, newHalfLife)
        guard capacity != self.capacity || halfLife != halfLifeMillis else { return }
        self.capacity = capacity
        halfLifeMillis = halfLife
        var rounds = 0
        while entries.count > capacity && rounds < 256 {
            evict(nowMillis: entries.values.map(\.lastSeenMillis).max() ?? 0)
            rounds += 1
        }
    }

    /// The number of prefixes held.
    public var count: Int { entries.count }

    /// The decay factor over `elapsed` milliseconds.
    func decay(_ elapsed: Int64) -> Double {
        Self.decay(elapsed, halfLifeMillis: halfLifeMillis)
    }

    static func decay(_ elapsed: Int64, halfLifeMillis: Int64) -> Double {
        elapsed <= 0 ? 1 : exp2(-Double(elapsed) / Double(halfLifeMillis))
    }

    /// A stable key for a model id; two models never share statistics unless their ids collide in 64 bits.
    static func modelKey(_ model: String) -> UInt64 {
        // FNV-1a 64: deterministic (unlike Hasher), so the key of a model is the same in every table.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in model.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A stable, non-zero key for a client name (0 is the all-clients record).
    static func clientKey(_ client: String) -> UInt64 { modelKey(client) | 1 }

    static func entryKey(model: UInt64, prefix: UInt64) -> UInt64 {
        // A multiply-xorshift mix, so prefix hashes of different models do not cancel out.
        var x = prefix ^ (model &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 31
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return x
    }

    /// What the table knows about each boundary of `features`, decayed to `nowMillis`, with the statistics of
    /// each boundary's kind for this request's client and for all clients.
    public func observations(for features: CacheRequestFeatures, nowMillis: Int64) -> [(
        prefix: PrefixObservation, kind: KindStatistics
    )] {
        let model = Self.modelKey(features.model)
        let client = Self.clientKey(features.client)
        var byKind: [KindStatistics?] = Array(repeating: nil, count: CacheBoundaryKind.allCases.count)
        return features.boundaries.map { boundary in
            let slot = Int(boundary.kind.rawValue)
            if byKind[slot] == nil {
                byKind[slot] = KindStatistics(
                    client: kind(KindKey(model: model, client: client, kind: boundary.kind), nowMillis: nowMillis),
                    all: kind(KindKey(model: model, client: 0, kind: boundary.kind), nowMillis: nowMillis))
            }
            return (prefix(model: model, hash: boundary.prefixHash, nowMillis: nowMillis), byKind[slot]!)
        }
    }

    /// The planner's assessment of each boundary of `features` at `nowMillis` (`observations(for:nowMillis:)`
    /// assessed in place, without copying each boundary's kind statistics out).
    mutating func assessments(for features: CacheRequestFeatures, nowMillis: Int64) -> [BoundaryAssessment] {
        let model = Self.modelKey(features.model)
        let client = Self.clientKey(features.client)
        let keys = features.boundaries.map { Self.entryKey(model: model, prefix: $0.prefixHash) }
        let positions = keys.map { entries.position(of: $0) }
        lookedUp = (entries.generation, keys, positions)
        // The rates of each kind, computed at its first boundary (four kinds: a bit mask says which are known).
        var rates = [KindStatistics.Rates](repeating: KindStatistics.empty.rates, count: CacheBoundaryKind.allCases.count)
        var known: UInt8 = 0
        var result: [BoundaryAssessment] = []
        result.reserveCapacity(features.boundaries.count)
        for (boundary, position) in zip(features.boundaries, positions) {
            let slot = Int(boundary.kind.rawValue)
            if known & (1 << slot) == 0 {
                known |= 1 << slot
                rates[slot] =
                    KindStatistics(
                        client: kind(KindKey(model: model, client: client, kind: boundary.kind), nowMillis: nowMillis),
                        all: kind(KindKey(model: model, client: 0, kind: boundary.kind), nowMillis: nowMillis)
                    ).rates
            }
            result.append(
                BoundaryAssessment(
                    prefix: position.map { prefix(at: $0, nowMillis: nowMillis) } ?? .unseen, rates: rates[slot],
                    nowMillis: nowMillis))
        }
        return result
    }

    /// What the API's reports taught about `model` so far (an hour-old `uncachedBelow` has lapsed).
    public func modelFeedback(_ model: String, nowMillis: Int64) -> ModelFeedback {
        var state = feedback[Self.modelKey(model)] ?? ModelFeedback()
        if nowMillis - state.uncachedSinceMillis > CacheTTL.oneHour.millis { state.uncachedBelow = 0 }
        return state
    }

    func prefix(model: UInt64, hash: UInt64, nowMillis: Int64) -> PrefixObservation {
        guard let position = entries.position(of: Self.entryKey(model: model, prefix: hash)) else { return .unseen }
        return prefix(at: position, nowMillis: nowMillis)
    }

    /// The record at `position` of `entries`, decayed to `nowMillis`.
    func prefix(at position: Int, nowMillis: Int64) -> PrefixObservation {
        let entry = entries.values[position]
        let factor = decay(nowMillis - entry.lastSeenMillis)
        return PrefixObservation(
            sightings: entry.sightings * factor, gapsWithin5m: entry.gapsWithin5m * factor,
            gapsWithin1h: entry.gapsWithin1h * factor, gaps: entry.gaps * factor,
            lastSeenMillis: entry.lastSeenMillis, markedAtMillis: entry.markedAtMillis, markedTTL: entry.markedTTL,
            rawSightings: Int(entry.rawSightings))
    }

    func kind(_ key: KindKey, nowMillis: Int64) -> KindObservation {
        guard let record = kinds[key] else { return .empty }
        var observation = record.observation
        observation.scale(by: decay(nowMillis - record.updatedMillis))
        return observation
    }
}
