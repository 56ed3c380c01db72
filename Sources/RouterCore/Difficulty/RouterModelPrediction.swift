/// What the router model says of one request: how likely each difficulty is, the task type, and why.
public struct RouterModelPrediction: Sendable, Hashable {
    /// P(simple), P(standard), P(hard); they sum to 1.
    public var probabilities: [Double]
    /// The most likely task type of the model's task head.
    public var taskType: String
    /// Its probability.
    public var taskConfidence: Double
    /// The features that pushed hardest towards a harder difficulty, strongest first.
    public var harderFeatures: [String]
    /// The features that pushed hardest towards a simpler difficulty, strongest first.
    public var simplerFeatures: [String]

    /// Creates a prediction.
    public init(
        probabilities: [Double], taskType: String, taskConfidence: Double, harderFeatures: [String],
        simplerFeatures: [String]
    ) {
        self.probabilities = probabilities
        self.taskType = taskType
        self.taskConfidence = taskConfidence
        self.harderFeatures = harderFeatures
        self.simplerFeatures = simplerFeatures
    }

    /// The difficulty chosen under `qualityBias` (0…1): the hardest difficulty d such that the probability that
    /// the request needs d or more is at least `1 - qualityBias`.
    ///
    /// At 0.5 a request goes up only when that is more likely than not; a higher bias goes up on weaker evidence
    /// (fewer under-served requests, higher cost), a lower one on stronger evidence.
    public func difficulty(qualityBias: Double) -> Difficulty {
        let threshold = 1 - qualityBias
        if probabilities[2] >= threshold { return .hard }
        if probabilities[1] + probabilities[2] >= threshold { return .standard }
        return .simple
    }

    /// The features that decided `difficulty`: those that pushed up for a harder one, down for `simple`.
    public func decidingFeatures(for difficulty: Difficulty) -> [String] {
        difficulty == .simple ? simplerFeatures : harderFeatures
    }
}
