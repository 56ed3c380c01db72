/// A kind of task the router recognises, and the tier that does it well enough.
public struct TaskTypeSpec: Sendable, Hashable {
    /// The task type's name, e.g. `classification`.
    public var name: String
    /// The tier that handles this task type when no difficulty is known (or `tiers` is nil); with `tiers`, the
    /// tier of `standard`.
    public var tier: Tier
    /// The tier of each difficulty (`writing: {simple: haiku, standard: sonnet, hard: opus}`), or nil when the task
    /// type has one tier whatever the difficulty.
    public var tiers: [Difficulty: Tier]?
    /// Whether such tasks may wait for the Message Batches API (half price) when the caller allows it.
    public var deferrable: Bool
    /// A typical answer length, used for cost estimates before the call (capped by the request's `max_tokens`).
    public var expectedOutputTokens: Int64
    /// What the task type covers, for operators.
    public var description: String

    /// Creates a task type.
    public init(
        name: String, tier: Tier, tiers: [Difficulty: Tier]? = nil, deferrable: Bool,
        expectedOutputTokens: Int64 = 500, description: String
    ) {
        self.name = name
        self.tier = tiers?[.standard] ?? tier
        self.tiers = tiers
        self.deferrable = deferrable
        self.expectedOutputTokens = expectedOutputTokens
        self.description = description
    }
}

extension TaskTypeSpec {
    /// The tier for a request of this task type and `difficulty` (nil: unknown), and whether the difficulty decided.
    public func tier(for difficulty: Difficulty?) -> (tier: Tier, byDifficulty: Bool) {
        guard let difficulty, let tiers, let tier = tiers[difficulty] else { return (tier, false) }
        return (tier, true)
    }
}
