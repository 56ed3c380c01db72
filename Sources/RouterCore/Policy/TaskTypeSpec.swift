/// A kind of task the router recognises, and the tier that does it well enough.
public struct TaskTypeSpec: Sendable, Hashable {
    /// The task type's name, e.g. `classification`.
    public var name: String
    /// The tier that handles this task type.
    public var tier: Tier
    /// Whether such tasks may wait for the Message Batches API (half price) when the caller allows it.
    public var deferrable: Bool
    /// A typical answer length, used for cost estimates before the call (capped by the request's `max_tokens`).
    public var expectedOutputTokens: Int64
    /// What the task type covers, for operators.
    public var description: String

    /// Creates a task type.
    public init(name: String, tier: Tier, deferrable: Bool, expectedOutputTokens: Int64 = 500, description: String) {
        self.name = name
        self.tier = tier
        self.deferrable = deferrable
        self.expectedOutputTokens = expectedOutputTokens
        self.description = description
    }
}
