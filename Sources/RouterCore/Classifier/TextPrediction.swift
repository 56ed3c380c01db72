/// What the statistical classifier thinks a prompt is, how sure it is, and why.
public struct TextPrediction: Sendable, Hashable {
    /// The winning task type (one of the training labels).
    public var label: String
    /// Probability of `label` in (0, 1]: a temperature-scaled softmax of the labels' log posteriors, fitted so that
    /// on held-out examples a confidence of 0.8 is right about 80% of the time.
    public var confidence: Double
    /// The few words, word pairs and symbols of the prompt that pushed `label` most above the runner-up, strongest
    /// first, e.g. `refactor`, `this function`, `sym:=>`, `line:indent`. A word's character n-grams count toward the
    /// word. Empty when no known feature favoured the label (or there is only one label).
    public var topFeatures: [String]
}
