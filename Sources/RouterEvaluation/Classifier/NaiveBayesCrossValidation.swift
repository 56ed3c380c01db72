import Foundation
public import RouterCore

extension NaiveBayesClassifier {
    /// Measures accuracy by stratified k-fold cross-validation: each example is classified by a model trained
    /// without the fold that holds it (its temperature fitted by an inner cross-validation on the rest).
    ///
    /// Deterministic for a given `seed`: examples of each label are shuffled by a seeded generator and dealt to
    /// folds in turn, so every fold holds about the same share of every label.
    ///
    /// - Parameters:
    ///   - examples: the labelled examples (e.g. every `policies/examples/*.jsonl` file).
    ///   - folds: number of folds, clamped to 2...examples.count.
    ///   - seed: the shuffle seed.
    ///   - configuration: the classifier settings to evaluate.
    public static func crossValidate(
        examples: [TrainingExample], folds: Int = 5, seed: UInt64 = 42, configuration: Configuration = Configuration()
    ) -> CrossValidationReport {
        let corpus = NaiveBayesCorpus(examples: examples, configuration: configuration)
        let k = max(2, min(folds, examples.count))
        let assignment = stratifiedFolds(corpus: corpus, indices: Array(corpus.documents.indices), folds: k, seed: seed)
        var outcomes: [CrossValidationReport.Outcome] = []
        outcomes.reserveCapacity(examples.count)
        for fold in 0..<k {
            let train = corpus.documents.indices.filter { assignment[$0] != fold }
            let test = corpus.documents.indices.filter { assignment[$0] == fold }
            guard !train.isEmpty, !test.isEmpty else { continue }
            let temperature =
                configuration.temperature
                ?? fitTemperature(corpus: corpus, indices: train, configuration: configuration, seed: seed &+ 1)
            let model = NaiveBayesModel(
                corpus: corpus, indices: train, smoothing: configuration.smoothing,
                evidenceCap: configuration.evidenceCap)
            for index in test {
                let probabilities = NaiveBayesModel.probabilities(
                    model.scores(of: corpus.documents[index], weights: corpus.weights[index]), temperature: temperature)
                var predicted = 0
                for label in probabilities.indices where probabilities[label] > probabilities[predicted] {
                    predicted = label
                }
                outcomes.append(
                    .init(
                        expected: corpus.labels[corpus.labelIndex[index]], predicted: corpus.labels[predicted],
                        confidence: probabilities[predicted],
                        probabilityOfExpected: probabilities[corpus.labelIndex[index]]))
            }
        }
        return CrossValidationReport(folds: k, seed: seed, outcomes: outcomes)
    }
}
