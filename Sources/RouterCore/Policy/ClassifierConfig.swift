/// How the classifier turns a request into a task type: rules first, then the statistical model, then a default.
public struct ClassifierConfig: Sendable, Hashable {
    /// Rules in order; the first that matches wins.
    public var rules: [ClassifierRule]
    /// The task type when neither a rule nor the statistical model decides.
    public var defaultTaskType: String
    /// The confidence given to the default task type.
    public var defaultConfidence: Double
    /// Below this confidence the routing uses `safeTier` (or higher).
    public var confidenceFloor: Double
    /// The tier used when the classifier is unsure.
    public var safeTier: Tier
    /// Whether the statistical classifier runs when no rule matches.
    public var statisticalEnabled: Bool
    /// Where the labelled examples live, relative to the policy directory (`examples`).
    public var examplesDirectory: String

    /// Creates a classifier configuration.
    public init(
        rules: [ClassifierRule], defaultTaskType: String, defaultConfidence: Double = 0.5,
        confidenceFloor: Double = 0.6, safeTier: Tier = .sonnet, statisticalEnabled: Bool = true,
        examplesDirectory: String = "examples"
    ) {
        self.rules = rules
        self.defaultTaskType = defaultTaskType
        self.defaultConfidence = defaultConfidence
        self.confidenceFloor = confidenceFloor
        self.safeTier = safeTier
        self.statisticalEnabled = statisticalEnabled
        self.examplesDirectory = examplesDirectory
    }
}
