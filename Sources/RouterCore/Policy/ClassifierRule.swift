/// One ordered classifier rule: when every condition it sets holds, the request is of `taskType`.
///
/// Conditions left nil (or empty) are not checked. Word lists match whole words case-insensitively; patterns are
/// case-insensitive regular expressions.
public struct ClassifierRule: Sendable, Hashable {
    /// The rule's name, quoted in decisions ("rule `code-words` matched 'refactor'").
    public var name: String
    /// The task type the rule assigns.
    public var taskType: String
    /// How sure the rule is, 0…1; below the classifier's floor the safe tier applies.
    public var confidence: Double
    /// Matches in the last user turn.
    public var userText: TextPattern?
    /// Matches in the system prompt.
    public var systemText: TextPattern?
    /// Requires tools to be present (true) or absent (false).
    public var toolsPresent: Bool?
    /// Requires images to be present (true) or absent (false).
    public var imagesPresent: Bool?
    /// Requires documents to be present (true) or absent (false).
    public var documentsPresent: Bool?
    /// Bounds on the estimated input tokens (inclusive).
    public var minInputTokens: Int64?
    public var maxInputTokens: Int64?
    /// Bounds on the number of messages (inclusive).
    public var minTurns: Int?
    public var maxTurns: Int?
    /// The rule applies only to these clients (empty: all).
    public var clients: [String]
    /// Metadata entries that must be present with these values.
    public var metadata: [String: String]

    /// Creates a rule; every condition defaults to "not checked".
    public init(
        name: String, taskType: String, confidence: Double = 0.9, userText: TextPattern? = nil,
        systemText: TextPattern? = nil, toolsPresent: Bool? = nil, imagesPresent: Bool? = nil,
        documentsPresent: Bool? = nil, minInputTokens: Int64? = nil, maxInputTokens: Int64? = nil,
        minTurns: Int? = nil, maxTurns: Int? = nil, clients: [String] = [], metadata: [String: String] = [:]
    ) {
        self.name = name
        self.taskType = taskType
        self.confidence = confidence
        self.userText = userText
        self.systemText = systemText
        self.toolsPresent = toolsPresent
        self.imagesPresent = imagesPresent
        self.documentsPresent = documentsPresent
        self.minInputTokens = minInputTokens
        self.maxInputTokens = maxInputTokens
        self.minTurns = minTurns
        self.maxTurns = maxTurns
        self.clients = clients
        self.metadata = metadata
    }
}
