import ClaudeAPI
import RouterCore

/// One routing decision as this commit's service makes it per request (`RouterService.prepare` between decoding
/// the body and sending it): `DecisionRequest` (features, prefix hashes), the conversation's tier, `Router.decide`
/// (budget, classification, difficulty, model, cache plan, deferral) and the conversation's record. The spend is
/// zero and the cache planner has observed nothing, so every call decides alike.
///
/// `Benchmarks/route-bench/shims/<commit>/RouteCall.swift` is the same call at an older commit, whose API differs.
struct RouteCall {
    let policy: Policy
    let client: ClientSpec?
    let planner: CachePlanner
    var conversations: ConversationTiers

    init(policy: Policy) {
        self.policy = policy
        self.client = policy.clients.first
        self.planner = CachePlanner(policy: policy.cache)
        self.conversations = ConversationTiers(capacity: policy.routing.stickyConversations)
    }

    /// Decides `request` and returns the routed model's id.
    mutating func callAsFunction(_ request: MessagesRequest, nowMillis: Int64) -> String {
        let name = client?.name ?? ""
        let input = DecisionRequest(body: request.raw, client: name)
        let hashes = input.prefixes.earlierTurnHashes
        let tier = hashes.isEmpty ? nil : conversations.tier(client: name, prefixHashes: hashes)
        let planner = self.planner
        guard
            let decision = try? Router.decide(
                input, client: client, policy: policy, spend: { _ in (Money.zero, Money.zero) },
                nowMillis: nowMillis, conversationTier: tier,
                terms: RunTerms(priority: .interactive, runsNow: "only tasks are deferred"),
                planCache: { planner.plan($0, profile: $1, policy: $2, nowMillis: $3) })
        else { return "error" }
        if let hash = input.prefixes.conversationHash {
            conversations.record(client: name, prefixHash: hash, tier: decision.tier)
        }
        return decision.model
    }
}
