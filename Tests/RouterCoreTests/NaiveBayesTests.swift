import Foundation
import Testing

@testable import RouterCore

/// A tiny training set whose answers are obvious to a person, so a wrong answer is the classifier's fault.
private let toyExamples: [TrainingExample] = [
    .init(text: "fix the bug in this python function", label: "coding"),
    .init(text: "write a function that sorts a list in python", label: "coding"),
    .init(text: "refactor this javascript function: function f(x) { return x => x + 1; }", label: "coding"),
    .init(text: "compile error in my rust code, how do I fix it", label: "coding"),
    .init(text: "write a poem about the sea and the moon", label: "writing"),
    .init(text: "draft a friendly email to my landlord about the heating", label: "writing"),
    .init(text: "write a short story about a lighthouse keeper", label: "writing"),
    .init(text: "rewrite this paragraph to sound more professional", label: "writing"),
]

@Suite struct NaiveBayesTests {
    @Test(arguments: [
        ("my python function has a bug, please fix it", "coding"),
        ("const add = (a, b) => { return a + b; } refactor this", "coding"),
        ("write a poem about the moon", "writing"),
        ("draft an email to my landlord", "writing"),
    ])
    func classifiesObviousPromptsOfATinyTrainingSet(text: String, expected: String) {
        let classifier = NaiveBayesClassifier(examples: toyExamples)
        #expect(classifier.classify(text).label == expected)
    }

    @Test(arguments: ["fix the python bug", "a poem", "", "zzqx unseen vocabulary ⟨ø⟩ 🙂", "{{{{", "12345"])
    func confidenceIsAProbabilityInTheOpenUnitIntervalClosedAtOne(text: String) {
        let prediction = NaiveBayesClassifier(examples: toyExamples).classify(text)
        #expect(prediction.confidence > 0)
        #expect(prediction.confidence <= 1)
        #expect(["coding", "writing"].contains(prediction.label))
    }

    @Test func unseenTextFallsBackToThePriorWithoutFeatures() {
        var examples = toyExamples
        examples.append(.init(text: "write an ode to autumn leaves", label: "writing"))
        let prediction = NaiveBayesClassifier(examples: examples).classify("qwxz vbnm plkj")
        #expect(prediction.label == "writing")  // the more frequent label
        #expect(prediction.topFeatures.isEmpty)
    }

    @Test func confidenceGrowsWithEvidence() {
        let classifier = NaiveBayesClassifier(
            examples: toyExamples, configuration: .init(temperature: 20))
        let weak = classifier.classify("python")
        let strong = classifier.classify("fix the bug in this python function, compile error in my rust code")
        #expect(weak.label == "coding" && strong.label == "coding")
        #expect(strong.confidence > weak.confidence)
    }

    @Test func isDeterministicAcrossInstancesAndCalls() {
        let text = "please refactor this function and write a poem about it"
        let first = NaiveBayesClassifier(examples: toyExamples)
        let second = NaiveBayesClassifier(examples: toyExamples)
        #expect(first.temperature == second.temperature)
        #expect(first.classify(text) == second.classify(text))
        #expect(first.classify(text) == first.classify(text))
    }

    @Test func topFeaturesComeFromTheTextAndFavourTheWinner() {
        let prediction = NaiveBayesClassifier(examples: toyExamples).classify("Fix the BUG in my Python function")
        #expect(prediction.label == "coding")
        #expect(!prediction.topFeatures.isEmpty && prediction.topFeatures.count <= 5)
        #expect(Set(prediction.topFeatures).count == prediction.topFeatures.count)
        // Whole words and pairs as they appear in the text, lowercased, never fragments of words.
        let candidates = [
            "fix", "the", "bug", "in", "my", "python", "function", "fix the", "the bug", "bug in",
            "in my", "my python", "python function",
        ]
        #expect(prediction.topFeatures.allSatisfy { candidates.contains($0) }, "\(prediction.topFeatures)")
        #expect(prediction.topFeatures.contains("python") || prediction.topFeatures.contains("function"))
    }

    @Test func emptyTrainingSetGivesNoOpinion() {
        let prediction = NaiveBayesClassifier(examples: []).classify("anything")
        #expect(prediction.label == "")
        #expect(prediction.confidence == 0)
    }

    @Test func singleLabelIsAlwaysPredictedWithFullConfidence() {
        let classifier = NaiveBayesClassifier(examples: [.init(text: "hello world", label: "conversation")])
        let prediction = classifier.classify("hello there")
        #expect(prediction.label == "conversation")
        #expect(prediction.confidence == 1)
    }

    @Test func probabilitiesSumToOneAndAgreeWithClassify() {
        let classifier = NaiveBayesClassifier(examples: toyExamples)
        let text = "write a python function"
        let all = classifier.probabilities(text)
        #expect(abs(all.map(\.probability).reduce(0, +) - 1) < 1e-9)
        let prediction = classifier.classify(text)
        #expect(all.first?.label == prediction.label)
        #expect(abs((all.first?.probability ?? 0) - prediction.confidence) < 1e-12)
    }

    @Test func veryLongTextIsReadByHeadAndTailOnly() {
        let text = "alpha " + String(repeating: "beta ", count: 1_000) + "omega"
        let names = TextFeatures(wordBigrams: false, characterGramLengths: nil, maxBytes: 64).featureNames(of: text)
        #expect(names.first == "alpha")
        #expect(names.last == "omega")
        #expect(names.count < 20)
    }

    // MARK: features

    @Test func featuresIncludeWordsBigramsCharacterGramsAndCodeSymbols() {
        let names = TextFeatures().featureNames(of: "def Foo(x): return x => {}")
        #expect(names.contains("def"))
        #expect(names.contains("foo"))
        #expect(names.contains("def foo"))
        #expect(names.contains("char:<ret"))
        #expect(names.contains("char:<foo>"))
        #expect(names.contains("sym:=>"))
        #expect(names.contains("sym:{}"))
        #expect(names.contains("sym:):"))
    }

    @Test func numbersCollapseAndIndentedLinesAreSignalled() {
        let names = TextFeatures(characterGramLengths: nil).featureNames(of: "total 42\n    return 7")
        #expect(
            names == [
                "total", "<num>", "total <num>", "line:indent", "return", "<num> return", "<num>", "return <num>",
            ])
    }

    @Test func nonASCIIWordsStayWhole() {
        let names = TextFeatures(wordBigrams: false, characterGramLengths: nil).featureNames(of: "Résumé für Zoë")
        #expect(names == ["résumé", "für", "zoë"])
    }

    // MARK: JSONL

    @Test func parsesJSONLSkippingBlankAndCommentLines() throws {
        let text = """
            # routing examples
            {"text": "Route this ticket", "label": "routing", "source": "ops"}

            // another
            {"label": " routing ", "text": "Which team handles refunds?"}\r
            """
        let examples = try TrainingExamples.parseJSONL(text, file: "routing.jsonl")
        #expect(
            examples == [
                TrainingExample(text: "Route this ticket", label: "routing"),
                TrainingExample(text: "Which team handles refunds?", label: "routing"),
            ])
    }

    @Test(arguments: [
        ("{\"text\": \"ok\", \"label\": \"a\"}\n{\"text\": \"broken\", \"label\": }", 2, "invalid JSON"),
        ("\n\n[1, 2]", 3, "expected an object"),
        ("{\"label\": \"a\"}", 1, "missing string field \"text\""),
        ("{\"text\": \"x\", \"label\": 3}", 1, "missing string field \"label\""),
        ("{\"text\": \"x\", \"label\": \"  \"}", 1, "empty \"label\""),
        ("{\"text\": \" \\n \", \"label\": \"a\"}", 1, "empty \"text\""),
    ])
    func parseErrorsNameFileAndLine(text: String, line: Int, reason: String) {
        do {
            _ = try TrainingExamples.parseJSONL(text, file: "policies/examples/a.jsonl")
            Issue.record("expected a parse error")
        } catch let error as TrainingExampleParseError {
            #expect(error.file == "policies/examples/a.jsonl")
            #expect(error.line == line)
            #expect(error.reason.contains(reason))
            #expect(String(describing: error).hasPrefix("policies/examples/a.jsonl:\(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
