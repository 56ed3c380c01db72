import ClaudeAPI
import Foundation
import RouterCore
import Testing

/// The router model's difficulty is asked only where it can change the model, and the model is the same as if it
/// had been asked.
@Suite struct DifficultyWhenItMattersTests {
    static let proof =
        "Prove rigorously that for every positive integer n the number of partitions of n into distinct parts "
        + "equals the number into odd parts; give a complete bijective proof and generalise it to at most k copies."

    static func route(_ f: RoutingFeatures, policy: Policy = Shipped.policy, conversationTier: Tier? = nil) throws
        -> Decision
    {
        try Router.route(f, client: Shipped.dev, policy: policy, day: Shipped.day, conversationTier: conversationTier)
    }

    /// The decision with the model's prediction handed in, always: what the router decided before it skipped it.
    static func alwaysAsked(_ f: RoutingFeatures, policy: Policy = Shipped.policy, conversationTier: Tier? = nil)
        throws -> Decision
    {
        let classification = try TaskClassifier.classify(f, policy: policy) { policy.routerModel?.predict(f) }
        return try Router.decide(
            f, classification: classification, prediction: policy.routerModel?.predict(f), client: Shipped.dev,
            policy: policy, day: Shipped.day, conversationTier: conversationTier)
    }

    @Test func anAutoRequestIsJudged() throws {
        let d = try Self.route(RoutingFeatures(lastUserText: "What is 2+2?", estimatedInputTokens: 8))
        #expect(d.difficulty == .simple)
        #expect(!d.difficultyProbabilities.isEmpty)
        #expect(d.difficultyNotJudged == nil)
    }

    @Test func anHonouredExplicitModelIsNotJudged() throws {
        // The shape of the router-overhead benchmark's request: a rule matches and the caller names a model.
        let f = RoutingFeatures(
            lastUserText: "Classify the tone of this text as formal or informal: " + Self.proof,
            estimatedInputTokens: 400, requestedModel: "claude-haiku-4-5")
        let d = try Self.route(f)
        #expect(d.model == "claude-haiku-4-5")
        #expect(d.difficulty == nil)
        #expect(d.difficultyHeader == "none")
        // `policy explain` says why, rather than "difficulty_model: off".
        #expect(d.difficultyNotJudged == "the caller's model or tier was honoured")
        #expect(d.model == (try Self.alwaysAsked(f)).model)
    }

    @Test func aTaskTypeWithTheSameTierForEveryDifficultyIsNotJudged() throws {
        var policy = Shipped.policy
        let spec = policy.taskTypes["complex_reasoning"]!
        policy.taskTypes["complex_reasoning"] = TaskTypeSpec(
            name: spec.name, tier: .opus, tiers: [.simple: .opus, .standard: .opus, .hard: .opus],
            deferrable: spec.deferrable, expectedOutputTokens: spec.expectedOutputTokens,
            description: spec.description)
        let f = RoutingFeatures(lastUserText: Self.proof, estimatedInputTokens: 80, maxTokens: 8192)
        let d = try Self.route(f, policy: policy)
        #expect(d.classification.taskType == "complex_reasoning")
        #expect(d.tier == .opus)
        #expect(d.difficulty == nil)
        #expect(d.modelReason.contains("difficulty not judged"), "\(d.modelReason)")
        #expect(d.difficultyNotJudged == "every difficulty ends on opus")
        #expect(d.model == (try Self.alwaysAsked(f, policy: policy)).model)
    }

    @Test func aConversationAlreadyOnTheTopTierIsNotJudged() throws {
        let f = RoutingFeatures(lastUserText: "Thanks! What is 2+2?", estimatedInputTokens: 900, turns: 3)
        let d = try Self.route(f, conversationTier: .opus)
        #expect(d.tier == .opus)
        #expect(d.difficulty == nil)
        #expect(d.difficultyNotJudged == "every difficulty ends on opus")
        #expect(d.model == (try Self.alwaysAsked(f, conversationTier: .opus)).model)
    }

    @Test func withoutARouterModelTheDifficultyIsNotJudged() throws {
        var policy = Shipped.policy
        policy.routerModel = nil
        let d = try Self.route(RoutingFeatures(lastUserText: "What is 2+2?", estimatedInputTokens: 8), policy: policy)
        #expect(d.difficulty == nil)
        #expect(d.difficultyNotJudged == "difficulty_model: off")
    }

    @Test func aConversationBelowTheTopTierIsStillJudged() throws {
        let f = RoutingFeatures(lastUserText: Self.proof, estimatedInputTokens: 900, turns: 3, maxTokens: 8192)
        let d = try Self.route(f, conversationTier: .sonnet)
        #expect(d.difficulty != nil)
        #expect(d.model == (try Self.alwaysAsked(f, conversationTier: .sonnet)).model)
    }

    @Test(arguments: [
        "What is 2+2?", "Fix the grammar: me and him goes to the store yesterday.", DifficultyWhenItMattersTests.proof,
        "Write a 3,000-word report on our quarterly churn with tables and recommendations.",
        "Design a multi-region event-sourced billing system and weigh its trade-offs.",
    ])
    func skippingNeverChangesTheModel(text: String) throws {
        for requested in ["auto", "sonnet", "claude-opus-4-1", "claude-haiku-4-5"] {
            for conversation in [nil, Tier.haiku, .sonnet, .opus] {
                var f = RoutingFeatures(lastUserText: text, estimatedInputTokens: 300, maxTokens: 4096)
                f.requestedModel = requested
                let skipped = try? Self.route(f, conversationTier: conversation)
                let asked = try? Self.alwaysAsked(f, conversationTier: conversation)
                #expect(skipped?.model == asked?.model, "\(requested) \(String(describing: conversation))")
                #expect(skipped?.tier == asked?.tier)
            }
        }
    }
}
