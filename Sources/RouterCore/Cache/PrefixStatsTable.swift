public import ClaudeAPI
import Foundation

/// The planner's memory: a bounded table of prefix hashes with decaying sighting counts, per model.
///
/// Keys are the 64-bit prefix hash mixed with a hash of the model id; values are counts and times only, so no
/// prompt text is ever kept. Every count halves each `halfLifeMillis`, applied lazily when an entry is touched.
/// When the table is full, a sweep drops the eighth of the entries with the lowest decayed weight, which keeps
/// insertion amortised O(log n) and the size at or under `capacity`.
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
        /// The model key, to find the kind statistics this entry feeds.
        var modelKey: UInt64
    }

    /// Per-model, per-kind statistics, with the instant they were last decayed to.
    struct KindRecord: Sendable {
        var observation: KindObservation
        var updatedMillis: Int64
    }

    /// The most entries kept.
    public let capacity: Int
    /// The half-life of every count, in milliseconds.
    public let halfLifeMillis: Int64
    private(set) var entries: [UInt64: Entry] = [:]
    private(set) var kinds: [KindKey: KindRecord] = [:]
    /// At most this many models keep their own kind statistics; later ones share one record per kind.
    static let maxModels = 256

    struct KindKey: Hashable, Sendable {
        var model: UInt64
        var kind: CacheBoundaryKind
    }

    /// Creates an empty table.
    public init(capacity: Int, halfLifeMillis: Int64) {
        self.capacity = max(8, capacity)
        self.halfLifeMillis = max(1_000, halfLifeMillis)
    }

    /// The number of prefixes held.
    public var count: Int { entries.count }

    /// The decay factor over `elapsed` milliseconds.
    func decay(_ elapsed: Int64) -> Double {
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

    static func entryKey(model: UInt64, prefix: UInt64) -> UInt64 {
        // A multiply-xorshift mix, so prefix hashes of different models do not cancel out.
        var x = prefix ^ (model &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 31
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return x
    }

    /// What the table knows about each boundary of `features`, decayed to `nowMillis`, with the kind
    /// statistics of each boundary's kind.
    public func observations(for features: CacheRequestFeatures, nowMillis: Int64) -> [(
        prefix: PrefixObservation, kind: KindObservation
    )] {
        let model = Self.modelKey(features.model)
        return features.boundaries.map { boundary in
            (
                prefix(model: model, hash: boundary.prefixHash, nowMillis: nowMillis),
                kind(model: model, kind: boundary.kind, nowMillis: nowMillis)
            )
        }
    }

    func prefix(model: UInt64, hash: UInt64, nowMillis: Int64) -> PrefixObservation {
        guard let entry = entries[Self.entryKey(model: model, prefix: hash)] else { return .unseen }
        let factor = decay(nowMillis - entry.lastSeenMillis)
        return PrefixObservation(
            sightings: entry.sightings * factor, gapsWithin5m: entry.gapsWithin5m * factor,
            gapsWithin1h: entry.gapsWithin1h * factor, gaps: entry.gaps * factor,
            lastSeenMillis: entry.lastSeenMillis, markedAtMillis: entry.markedAtMillis, markedTTL: entry.markedTTL)
    }

    func kind(model: UInt64, kind: CacheBoundaryKind, nowMillis: Int64) -> KindObservation {
        guard let record = kinds[kindKey(model: model, kind: kind)] else { return .empty }
        var observation = record.observation
        observation.scale(by: decay(nowMillis - record.updatedMillis))
        return observation
    }

    func kindKey(model: UInt64, kind: CacheBoundaryKind) -> KindKey {
        let key = KindKey(model: model, kind: kind)
        if kinds[key] != nil || kinds.count < Self.maxModels * CacheBoundaryKind.allCases.count { return key }
        return KindKey(model: 0, kind: kind)
    }

    /// Records that a request with these boundaries went upstream at `nowMillis`, with breakpoints at
    /// `marked` (block position → TTL: the planner's and the client's, whatever was sent).
    public mutating func observe(_ features: CacheRequestFeatures, marked: [Int: CacheTTL], nowMillis: Int64) {
        let model = Self.modelKey(features.model)
        var seenInRequest: Set<UInt64> = []
        // The deepest boundary of each kind that is new to the table.
        var deepestNew: [CacheBoundaryKind: Int] = [:]
        for boundary in features.boundaries
        where entries[Self.entryKey(model: model, prefix: boundary.prefixHash)] == nil {
            deepestNew[boundary.kind] = boundary.blockPosition
        }
        for boundary in features.boundaries {
            let key = Self.entryKey(model: model, prefix: boundary.prefixHash)
            // A prefix that ends at two boundaries of one request (an empty section) is one sighting.
            guard seenInRequest.insert(key).inserted else { continue }
            var kindUpdate = KindObservation.empty
            if var entry = entries[key] {
                let gap = nowMillis - entry.lastSeenMillis
                let factor = decay(gap)
                let within5m: Double = gap <= CacheTTL.fiveMinutes.millis ? 1 : 0
                let within1h: Double = gap <= CacheTTL.oneHour.millis ? 1 : 0
                entry.sightings = entry.sightings * factor + 1
                entry.gapsWithin5m = entry.gapsWithin5m * factor + within5m
                entry.gapsWithin1h = entry.gapsWithin1h * factor + within1h
                entry.gaps = entry.gaps * factor + 1
                kindUpdate.resightings = 1
                kindUpdate.gapsWithin5m = within5m
                kindUpdate.gapsWithin1h = within1h
                kindUpdate.gaps = 1
                if entry.rawSightings == 1, entry.feedsPrior {
                    kindUpdate.firstReusesWithin5m = within5m
                    kindUpdate.firstReusesWithin1h = within1h
                } else if entry.rawSightings > 1 {
                    kindUpdate.resightingsFollowed = 1
                }
                entry.rawSightings = min(entry.rawSightings + 1, 1 << 20)
                entry.lastSeenMillis = nowMillis
                if let ttl = marked[boundary.blockPosition] {
                    entry.markedAtMillis = nowMillis
                    entry.markedTTL = ttl
                }
                entries[key] = entry
            } else {
                if entries.count >= capacity { evict(nowMillis: nowMillis) }
                let ttl = marked[boundary.blockPosition]
                let feeds = deepestNew[boundary.kind] == boundary.blockPosition
                entries[key] = Entry(
                    sightings: 1, gapsWithin5m: 0, gapsWithin1h: 0, gaps: 0, lastSeenMillis: nowMillis,
                    markedAtMillis: ttl == nil ? 0 : nowMillis, markedTTL: ttl, rawSightings: 1,
                    kind: boundary.kind, feedsPrior: feeds, modelKey: model)
                kindUpdate.newPrefixes = feeds ? 1 : 0
            }
            addKind(kindUpdate, model: model, kind: boundary.kind, nowMillis: nowMillis)
        }
    }

    mutating func addKind(_ update: KindObservation, model: UInt64, kind: CacheBoundaryKind, nowMillis: Int64) {
        let key = kindKey(model: model, kind: kind)
        var record = kinds[key] ?? KindRecord(observation: .empty, updatedMillis: nowMillis)
        record.observation.scale(by: decay(nowMillis - record.updatedMillis))
        record.updatedMillis = max(record.updatedMillis, nowMillis)
        record.observation.newPrefixes += update.newPrefixes
        record.observation.firstReusesWithin5m += update.firstReusesWithin5m
        record.observation.firstReusesWithin1h += update.firstReusesWithin1h
        record.observation.resightings += update.resightings
        record.observation.resightingsFollowed += update.resightingsFollowed
        record.observation.gapsWithin5m += update.gapsWithin5m
        record.observation.gapsWithin1h += update.gapsWithin1h
        record.observation.gaps += update.gaps
        kinds[key] = record
    }

    /// Drops the eighth of the entries with the lowest weight decayed to `nowMillis` (at least one).
    mutating func evict(nowMillis: Int64) {
        let drop = max(1, entries.count / 8)
        let ranked = entries.map {
            (key: $0.key, weight: $0.value.sightings * decay(nowMillis - $0.value.lastSeenMillis))
        }
        .sorted { $0.weight < $1.weight }
        for item in ranked.prefix(drop) { entries[item.key] = nil }
    }

    /// Every key and record, for tests and diagnostics: numbers only, by construction.
    public var dump: [(key: UInt64, sightings: Double, lastSeenMillis: Int64)] {
        entries.map { ($0.key, $0.value.sightings, $0.value.lastSeenMillis) }.sorted { $0.key < $1.key }
    }
}
