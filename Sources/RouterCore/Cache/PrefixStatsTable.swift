public import ClaudeAPI
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
    private(set) var entries = PrefixEntryTable<Entry>()
    /// The keys and positions the last `assessments` call looked up, for the `observe` of the same request that
    /// follows it (the router plans and observes each request back to back): valid while `entries` keeps the
    /// generation it had then.
    private var lookedUp: (generation: UInt64, keys: [UInt64], positions: [Int?])?
    private(set) var kinds: [KindKey: KindRecord] = [:]
    private(set) var feedback: [UInt64: ModelFeedback] = [:]
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

    /// Records that a request with these boundaries went upstream at `nowMillis`, with breakpoints at
    /// `marked` (block position → TTL: the planner's and the client's, whatever was sent).
    ///
    /// Besides each prefix's own record, it feeds the kind statistics of the request's client and of all
    /// clients. A new prefix that is the deepest new one of its kind in its request is what the planner would
    /// write speculatively, so it is followed: each later request whose deepest known prefix it is (the entry
    /// a read would find) counts as a hit its first-sighting write would have earned, while the sightings keep
    /// coming within the TTL.
    public mutating func observe(_ features: CacheRequestFeatures, marked: [Int: CacheTTL], nowMillis: Int64) {
        observe(features, marks: BreakpointMarks(marked), nowMillis: nowMillis)
    }

    /// `observe(_:marked:nowMillis:)` with the breakpoints as the planner keeps them.
    mutating func observe(_ features: CacheRequestFeatures, marks marked: BreakpointMarks, nowMillis: Int64) {
        let model = Self.modelKey(features.model)
        let client = Self.clientKey(features.client)
        var previousKey: UInt64?
        // The deepest boundary of each kind that is new to the table, and the deepest one it knows.
        var deepestNew: [Int] = Array(repeating: -1, count: CacheBoundaryKind.allCases.count)
        var deepestKnown = -1
        // Room first, so that the indices found below stay valid while existing entries are updated.
        if entries.count + features.boundaries.count > capacity { evict(nowMillis: nowMillis) }
        // The planning of this request looked the same keys up a moment ago: unless the table moved entries
        // since, its positions stand.
        var keys: [UInt64]
        var found: [Int?]
        if let memo = lookedUp, memo.generation == entries.generation, memo.keys.count == features.boundaries.count {
            (keys, found) = (memo.keys, memo.positions)
            for (i, boundary) in features.boundaries.enumerated()
            where keys[i] != Self.entryKey(model: model, prefix: boundary.prefixHash) {
                keys = features.boundaries.map { Self.entryKey(model: model, prefix: $0.prefixHash) }
                found = keys.map { entries.position(of: $0) }
                break
            }
        } else {
            keys = features.boundaries.map { Self.entryKey(model: model, prefix: $0.prefixHash) }
            found = keys.map { entries.position(of: $0) }
        }
        lookedUp = nil
        for (boundary, index) in zip(features.boundaries, found) {
            if index == nil {
                deepestNew[Int(boundary.kind.rawValue)] = boundary.blockPosition
            } else {
                deepestKnown = boundary.blockPosition
            }
        }
        var inserts: [(key: UInt64, entry: Entry)] = []
        inserts.reserveCapacity(features.boundaries.count)
        // Kind updates, summed per (client, kind) and applied once each (a handful: a small array beats a map).
        var updates: [(key: KindKey, update: KindObservation)] = []
        // Where this client's update of each kind is in `updates` (-1: none yet); other clients' (the creators
        // of prefixes this request re-sights) are searched for.
        var ownUpdate = (-1, -1, -1, -1)
        func add(_ update: KindObservation, _ key: KindKey) {
            guard update != .empty else { return }
            if key.client == client {
                let known: Int
                switch key.kind {
                case .tools: known = ownUpdate.0
                case .system: known = ownUpdate.1
                case .message: known = ownUpdate.2
                case .conversation: known = ownUpdate.3
                }
                if known >= 0 {
                    updates[known].update.add(update)
                    return
                }
                switch key.kind {
                case .tools: ownUpdate.0 = updates.count
                case .system: ownUpdate.1 = updates.count
                case .message: ownUpdate.2 = updates.count
                case .conversation: ownUpdate.3 = updates.count
                }
                updates.append((key, update))
            } else if let index = updates.firstIndex(where: { $0.key == key }) {
                updates[index].update.add(update)
            } else {
                updates.append((key, update))
            }
        }
        for (position, boundary) in features.boundaries.enumerated() {
            let key = keys[position]
            // A prefix that ends at two boundaries of one request (an empty section: they are consecutive) is one
            // sighting.
            guard key != previousKey else { continue }
            previousKey = key
            var kindUpdate = KindObservation.empty
            var creatorUpdate = KindObservation.empty
            var creator = client
            if let index = found[position] {
                var entry = entries.values[index]
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
                let isDeepest = boundary.blockPosition == deepestKnown
                if entry.rawSightings == 1, isDeepest {
                    entry.followsSecond = true
                    entry.second5m = true
                    entry.second1h = true
                    kindUpdate.secondSightings = 1
                } else if entry.followsSecond {
                    entry.second5m = entry.second5m && within5m > 0
                    entry.second1h = entry.second1h && within1h > 0
                    if entry.rawSightings <= UInt32(ReuseEstimate.maxHits) {
                        kindUpdate.secondSightingHits5m = entry.second5m ? 1 : 0
                        kindUpdate.secondSightingHits1h = entry.second1h ? 1 : 0
                    }
                }
                if entry.feedsPrior {
                    creator = entry.clientKey
                    if entry.rawSightings == 1 {
                        creatorUpdate.firstReusesWithin5m = within5m
                        creatorUpdate.firstReusesWithin1h = within1h
                    }
                    entry.chain5m = entry.chain5m && within5m > 0
                    entry.chain1h = entry.chain1h && within1h > 0
                    if isDeepest, entry.rawSightings <= UInt32(ReuseEstimate.maxHits) {
                        creatorUpdate.newPrefixHits5m = entry.chain5m ? 1 : 0
                        creatorUpdate.newPrefixHits1h = entry.chain1h ? 1 : 0
                    }
                }
                if entry.rawSightings > 1 { kindUpdate.resightingsFollowed = 1 }
                entry.rawSightings = min(entry.rawSightings + 1, 1 << 20)
                entry.lastSeenMillis = nowMillis
                if let ttl = marked[boundary.blockPosition] {
                    entry.markedAtMillis = nowMillis
                    entry.markedTTL = ttl
                }
                entries.values[index] = entry
            } else {
                let ttl = marked[boundary.blockPosition]
                let feeds = deepestNew[Int(boundary.kind.rawValue)] == boundary.blockPosition
                inserts.append((key, Entry(
                    sightings: 1, gapsWithin5m: 0, gapsWithin1h: 0, gaps: 0, lastSeenMillis: nowMillis,
                    markedAtMillis: ttl == nil ? 0 : nowMillis, markedTTL: ttl, rawSightings: 1,
                    kind: boundary.kind, feedsPrior: feeds, clientKey: client, chain5m: feeds, chain1h: feeds)))
                creatorUpdate.newPrefixes = feeds ? 1 : 0
            }
            add(kindUpdate, KindKey(model: model, client: client, kind: boundary.kind))
            add(creatorUpdate, KindKey(model: model, client: creator, kind: boundary.kind))
        }
        for insert in inserts {
            if let position = entries.position(of: insert.key) {
                entries.values[position] = insert.entry
            } else {
                entries.insert(insert.entry, for: insert.key)
            }
        }
        var rounds = 0
        while entries.count > capacity, rounds < 64 {
            evict(nowMillis: nowMillis)
            rounds += 1
        }
        for (key, update) in updates {
            addKind(update, key: key, nowMillis: nowMillis)
            addKind(update, key: KindKey(model: model, client: 0, kind: key.kind), nowMillis: nowMillis)
        }
    }

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

    mutating func addKind(_ update: KindObservation, key: KindKey, nowMillis: Int64) {
        let halfLife = halfLifeMillis
        func apply(_ record: inout KindRecord) {
            record.observation.scale(by: Self.decay(nowMillis - record.updatedMillis, halfLifeMillis: halfLife))
            record.updatedMillis = max(record.updatedMillis, nowMillis)
            record.observation.add(update)
            record.observation.keepRecent(window: Self.kindWindow)
        }
        // One look-up: update in place, or insert.
        if let index = kinds.index(forKey: key) {
            apply(&kinds.values[index])
        } else {
            guard key.client == 0 || kinds.count < Self.maxKindRecords else { return }
            var record = KindRecord(observation: .empty, updatedMillis: nowMillis)
            apply(&record)
            kinds[key] = record
        }
    }

    /// Drops the quarter of the entries with the lowest weight decayed to `nowMillis` (at least one): one O(n)
    /// pass per quarter of the capacity inserted.
    mutating func evict(nowMillis: Int64) {
        let drop = max(1, entries.count / 4)
        let weights = entries.values.map { $0.sightings * decay(nowMillis - $0.lastSeenMillis) }
        var scratch = weights
        let threshold = Self.select(&scratch, rank: drop - 1)
        // Everything under the threshold goes, then entries at it until `drop` are gone: O(n), no sort.
        var atThreshold = drop - weights.reduce(0) { $0 + ($1 < threshold ? 1 : 0) }
        entries.removeAll { position in
            if weights[position] < threshold { return true }
            guard weights[position] == threshold, atThreshold > 0 else { return false }
            atThreshold -= 1
            return true
        }
    }

    /// The value of rank `rank` (0-based) in ascending order: quickselect, reordering `values`.
    static func select(_ values: inout [Double], rank: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            // Median of three as the pivot, then a three-way partition (many weights are equal).
            let mid = low + (high - low) / 2
            let pivot = max(min(values[low], values[mid]), min(max(values[low], values[mid]), values[high]))
            var lt = low
            var i = low
            var gt = high
            while i <= gt {
                if values[i] < pivot {
                    values.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if values[i] > pivot {
                    values.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return pivot
            }
        }
        return values[low]
    }

    /// Every key and record, for tests and diagnostics: numbers only, by construction.
    public var dump: [(key: UInt64, sightings: Double, lastSeenMillis: Int64)] {
        zip(entries.keys, entries.values).map { ($0, $1.sightings, $1.lastSeenMillis) }.sorted { $0.key < $1.key }
    }
}
