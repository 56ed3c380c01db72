import Foundation
import RouterCore
import Testing

/// The shipped router model: what it says of requests whose least tier nobody doubts, and how it explains itself.
@Suite struct RouterModelTests {
    static let model = RouterModel.builtin!

    static func difficulty(_ f: RoutingFeatures) -> Difficulty {
        model.predict(f).difficulty(qualityBias: Shipped.policy.routing.qualityBias)
    }

    @Test(arguments: [
        "What is 2+2?", "What is the capital of France?", "Fix the grammar: me and him goes to the store yesterday.",
        "Translate 'good morning, see you tomorrow' into Spanish.",
    ])
    func shortEverydayRequestsAreSimple(text: String) {
        #expect(Self.difficulty(RoutingFeatures(lastUserText: text, estimatedInputTokens: 10, maxTokens: 256)) == .simple)
    }

    @Test func whatIsTwoPlusTwoGoesToHaikuNotOpus() throws {
        let d = try Router.route(
            RoutingFeatures(lastUserText: "What is 2+2?", estimatedInputTokens: 8), client: nil,
            policy: Shipped.policy, day: Shipped.day)
        #expect(d.tier == .haiku, "\(d.modelReason)")
        #expect(d.difficulty == .simple)
        #expect(d.difficultyHeader.hasPrefix("simple; p="))
        #expect(!d.difficultyFeatures.isEmpty)
    }

    @Test func aCompetitionProofIsHard() {
        let text = """
            Prove that for every positive integer n, the number of partitions of n into distinct parts equals the \
            number of partitions of n into odd parts. Give a complete bijective proof, then generalise it to \
            partitions where no part appears more than k times, and prove the generalisation rigorously.
            """
        #expect(Self.difficulty(RoutingFeatures(lastUserText: text, estimatedInputTokens: 80, maxTokens: 8192)) == .hard)
    }

    @Test func probabilitiesAreADistributionAndThePredictionIsDeterministic() {
        let f = RoutingFeatures(lastUserText: "Write a haiku about autumn leaves.", systemText: "You are a poet.")
        let a = Self.model.predict(f)
        let b = Self.model.predict(f)
        #expect(a == b)
        #expect(abs(a.probabilities.reduce(0, +) - 1) < 1e-9)
        #expect(a.probabilities.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func theKnobMovesDecisionsUpAsTheBiasGrows() {
        let p = RouterModelPrediction(
            probabilities: [0.5, 0.3, 0.2], taskType: "writing", taskConfidence: 1, harderFeatures: ["x"],
            simplerFeatures: ["y"])
        #expect(p.difficulty(qualityBias: 0.3) == .simple)
        #expect(p.difficulty(qualityBias: 0.5) == .standard)
        #expect(p.difficulty(qualityBias: 0.8) == .hard)
        #expect(p.decidingFeatures(for: .simple) == ["y"])
        #expect(p.decidingFeatures(for: .hard) == ["x"])
    }

    @Test func controlBytesInATextEndTheirFeatureInsteadOfLoopingForever() {
        let f = RoutingFeatures(lastUserText: "a\u{1e}b\u{1f}c\u{7f}d", estimatedInputTokens: 4)
        #expect(Self.model.predict(f).probabilities.count == 3)
    }

    @Test func trainingLearnsASeparableToyCorpusAndTheArtifactRoundTrips() throws {
        var examples: [RouterModel.TrainingExample] = []
        for i in 0..<30 {
            examples.append(.init(features: RoutingFeatures(lastUserText: "say hi to \(i)"), difficulty: .simple, taskType: "a"))
            examples.append(
                .init(
                    features: RoutingFeatures(lastUserText: "prove the theorem rigorously \(i)", maxTokens: 8000),
                    difficulty: .hard, taskType: "b"))
        }
        let model = RouterModel.train(
            examples, taskTypes: ["a", "b"], hyperparameters: .init(bucketBits: 10), version: "toy")
        let shipped = try #require(RouterModelArtifact(model: model).model())
        let easy = shipped.predict(RoutingFeatures(lastUserText: "say hi to me"))
        let hard = shipped.predict(RoutingFeatures(lastUserText: "prove the theorem rigorously", maxTokens: 8000))
        #expect(easy.difficulty(qualityBias: 0.5) == .simple)
        #expect(easy.taskType == "a")
        #expect(hard.difficulty(qualityBias: 0.5) == .hard)
        #expect(hard.taskType == "b")
        #expect(hard.harderFeatures.contains { ["prove", "theorem", "rigorously", "prove the"].contains($0) }, "\(hard)")
    }
}
