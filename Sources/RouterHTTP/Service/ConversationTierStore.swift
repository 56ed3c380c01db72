import RouterCore

/// The service's memory of which tier each conversation used (`ConversationTiers` behind a lock), sized by the
/// policy's `sticky_conversations`; a reload that changes the size starts an empty table.
final class ConversationTierStore: Sendable {
    private let table = MutexBox(ConversationTiers(capacity: 0))

    /// The tier earlier turns of this request's conversation used, or nil (new conversation, or stickiness off).
    func tier(client: String, prefixes: CacheRequestFeatures, capacity: Int) -> Tier? {
        guard capacity > 0 else { return nil }
        let hashes = prefixes.earlierTurnHashes
        return table.withLock { table in
            if table.capacity != capacity { table = ConversationTiers(capacity: capacity) }
            return hashes.isEmpty ? nil : table.tier(client: client, prefixHashes: hashes)
        }
    }

    /// Remembers that this request's conversation used `tier`.
    func record(client: String, prefixes: CacheRequestFeatures, tier: Tier, capacity: Int) {
        guard capacity > 0, let hash = prefixes.conversationHash else { return }
        table.withLock { table in
            if table.capacity != capacity { table = ConversationTiers(capacity: capacity) }
            table.record(client: client, prefixHash: hash, tier: tier)
        }
    }
}
