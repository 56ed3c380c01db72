public import ClaudeAPI
import Foundation

/// Learning from requests: sightings of each prefix and of its kind.
extension PrefixStatsTable {
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
}
