import RouterCore

/// Trains the classifier's statistical fallback from the policy's labelled examples.
enum StatisticalTraining {
    /// The trained naive Bayes model behind a `StatisticalModel`, or nil when there are no examples.
    static func train(_ examples: [(text: String, label: String)]) -> StatisticalModel? {
        guard !examples.isEmpty else { return nil }
        let classifier = NaiveBayesClassifier(
            examples: examples.map { TrainingExample(text: $0.text, label: $0.label) })
        return StatisticalModel(exampleCount: examples.count) { classifier.classify($0) }
    }
}
