/// Remembers the tier each conversation has used, so a later turn never moves down (which would throw away its
/// prompt cache): a bounded table keyed by (client, prefix hash).
///
/// A turn is recorded under the hash of its whole prefix (`CacheBoundaryKind.conversation`); the next turn of the
/// same conversation repeats that prefix and adds to it, so one of its earlier message boundaries carries the same
/// hash. The prefix hashes are those of `CacheRequestFeatures`, which the cache planner computes anyway. When the
/// table is full the entry seen longest ago goes. A plain value: the service wraps it in a lock.
public struct ConversationTiers: Sendable {
    struct Key: Hashable {
        var client: String
        var prefixHash: UInt64
    }

    struct Entry {
        var tier: Tier
        var lastSeen: UInt64
    }

    /// The most conversations remembered.
    public let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var tick: UInt64 = 0

    /// Creates an empty table of `capacity` conversations (0 remembers none).
    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// How many conversations are remembered.
    public var count: Int { entries.count }

    /// The highest tier an earlier turn of this conversation used, or nil for a new conversation.
    /// - Parameter prefixHashes: the request's message-boundary prefix hashes (any order).
    public mutating func tier(client: String, prefixHashes: [UInt64]) -> Tier? {
        var found: Tier?
        tick &+= 1
        for hash in prefixHashes {
            let key = Key(client: client, prefixHash: hash)
            guard var entry = entries[key] else { continue }
            entry.lastSeen = tick
            entries[key] = entry
            found = max(found ?? entry.tier, entry.tier)
        }
        return found
    }

    /// Records that the conversation whose whole prefix hashes to `prefixHash` used `tier`.
    public mutating func record(client: String, prefixHash: UInt64, tier: Tier) {
        guard capacity > 0 else { return }
        tick &+= 1
        let key = Key(client: client, prefixHash: prefixHash)
        if let old = entries[key] {
            entries[key] = Entry(tier: max(old.tier, tier), lastSeen: tick)
            return
        }
        if entries.count >= capacity { evict() }
        entries[key] = Entry(tier: tier, lastSeen: tick)
    }

    /// Drops the least recently seen eighth of the table (at least one entry), so eviction costs O(n) once per
    /// n/8 insertions rather than at every insertion.
    private mutating func evict() {
        let drop = max(1, capacity / 8)
        let oldest = entries.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(drop).map(\.key)
        for key in oldest { entries[key] = nil }
    }
}

extension CacheRequestFeatures {
    /// The prefix hashes of the request's message boundaries before its last message: where an earlier turn of
    /// the same conversation ended.
    public var earlierTurnHashes: [UInt64] {
        boundaries.filter { $0.kind == .message }.map(\.prefixHash)
    }

    /// The prefix hash of the whole request (its last message's boundary), under which this turn is remembered.
    public var conversationHash: UInt64? {
        boundaries.last { $0.kind == .conversation }?.prefixHash
    }
}
