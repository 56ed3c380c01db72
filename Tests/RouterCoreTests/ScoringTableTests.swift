import Foundation
import Testing

import RouterCore

/// `classify` scores through the fused hash → row table; `probabilities` through the vocabulary and the model's
/// log-likelihood rows. They must agree to the bit, so the fused table changes speed only, never a prediction.
struct ScoringTableTests {
    @Test func classifyMatchesTheTwoTableScoringBitForBit() throws {
        let examples = try shippedExamples()
        let classifier = NaiveBayesClassifier(examples: examples)
        var texts = examples.map(\.text)
        // Unseen text: empty, non-ASCII, numbers only, symbols, and a long prompt read by its head and tail.
        texts += [
            "", "Übersetze bitte diesen Absatz ins Englische.", "12345 67890", "{ } => ();",
            String(repeating: "The quarterly report lists revenue, churn and pipeline figures per region. ", count: 300),
        ]
        var checked = 0
        for text in texts {
            let prediction = classifier.classify(text)
            let reference = classifier.probabilities(text)
            let best = try #require(reference.first)
            #expect(prediction.confidence == max(best.probability, .leastNormalMagnitude), "\(text.prefix(60))")
            let probability = try #require(reference.first { $0.label == prediction.label }).probability
            #expect(probability == best.probability, "\(text.prefix(60))")
            checked += 1
        }
        #expect(checked == examples.count + 5)
    }
}
