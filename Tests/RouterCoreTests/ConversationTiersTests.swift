import ClaudeAPI
import RouterCore
import Testing

/// Conversations keep their tier: a later turn finds the earlier one by prefix hash, never moves down.
@Suite struct ConversationTiersTests {
    static func request(_ turns: [String]) -> CacheRequestFeatures {
        var messages: [JSONValue] = []
        for (i, text) in turns.enumerated() {
            messages.append(["role": .string(i % 2 == 0 ? "user" : "assistant"), "content": .string(text)])
        }
        return CacheRequestFeatures(request: ["model": "auto", "max_tokens": 100, "messages": .array(messages)])
    }

    @Test func aLaterTurnFindsTheTierOfTheEarlierOne() {
        var table = ConversationTiers(capacity: 100)
        let first = Self.request(["Plan the migration"])
        #expect(table.tier(client: "c", prefixHashes: first.earlierTurnHashes) == nil)
        table.record(client: "c", prefixHash: first.conversationHash!, tier: .opus)
        let second = Self.request(["Plan the migration", "Here is a plan…", "Thanks, what is 2+2?"])
        #expect(table.tier(client: "c", prefixHashes: second.earlierTurnHashes) == .opus)
        #expect(table.tier(client: "other", prefixHashes: second.earlierTurnHashes) == nil)
        let unrelated = Self.request(["Something else", "ok", "and then?"])
        #expect(table.tier(client: "c", prefixHashes: unrelated.earlierTurnHashes) == nil)
    }

    @Test func aConversationsTierOnlyGoesUp() {
        var table = ConversationTiers(capacity: 10)
        table.record(client: "c", prefixHash: 1, tier: .sonnet)
        table.record(client: "c", prefixHash: 1, tier: .haiku)
        #expect(table.tier(client: "c", prefixHashes: [1]) == .sonnet)
        table.record(client: "c", prefixHash: 1, tier: .opus)
        #expect(table.tier(client: "c", prefixHashes: [1]) == .opus)
    }

    @Test func theTableStaysWithinItsCapacityAndForgetsTheLeastRecentlySeen() {
        var table = ConversationTiers(capacity: 16)
        table.record(client: "c", prefixHash: 0, tier: .opus)
        for hash in 1...100 as ClosedRange<UInt64> {
            _ = table.tier(client: "c", prefixHashes: [0])  // keeps conversation 0 recent
            table.record(client: "c", prefixHash: hash, tier: .haiku)
            #expect(table.count <= 16)
        }
        #expect(table.tier(client: "c", prefixHashes: [0]) == .opus)
        #expect(table.tier(client: "c", prefixHashes: [1]) == nil)
    }

    @Test func theRouterKeepsTheConversationsTierUnlessTheTurnNeedsMore() throws {
        let f = RoutingFeatures(lastUserText: "What is 2+2?", estimatedInputTokens: 30, turns: 3)
        let kept = try Router.route(f, client: nil, policy: Shipped.policy, day: Shipped.day, conversationTier: .opus)
        #expect(kept.tier == .opus)
        #expect(kept.modelReason.contains("the conversation is on opus → stays there"))
        let fresh = try Router.route(f, client: nil, policy: Shipped.policy, day: Shipped.day)
        #expect(fresh.tier == .haiku)
        let proof = RoutingFeatures(
            lastUserText: "Now prove rigorously that the construction is optimal for every n, with a complete proof.",
            estimatedInputTokens: 400, turns: 5, maxTokens: 8192)
        let alone = try Router.route(proof, client: nil, policy: Shipped.policy, day: Shipped.day)
        let up = try Router.route(proof, client: nil, policy: Shipped.policy, day: Shipped.day, conversationTier: .haiku)
        #expect(alone.tier > .haiku)
        #expect(up.tier == alone.tier)
    }
}
