import RouterCore

/// Trains the classifier's statistical fallback from the policy's labelled examples.
enum StatisticalTraining {
    /// The trained model, or nil when there are no examples.
    static func train(_ examples: [(text: String, label: String)]) -> StatisticalModel? {
        // Wired to the Naive Bayes classifier once branch `cls` is merged.
        nil
    }
}
