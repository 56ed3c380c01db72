/// How demanding a request is: the least tier that serves it well, in words a policy maps per task type.
///
/// `simple` is what Haiku does well enough (short, well-defined transformations and look-ups), `standard` needs
/// Sonnet (substantive writing, most programming, nuanced analysis), `hard` needs Opus (hard multi-step reasoning,
/// proofs, system design with trade-offs). See docs/routing.md for the rubric.
public enum Difficulty: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case simple
    case standard
    case hard

    /// The tier a task type without a per-difficulty map would use for it (simple → haiku, …).
    public var naturalTier: Tier {
        switch self {
        case .simple: .haiku
        case .standard: .sonnet
        case .hard: .opus
        }
    }

    /// The difficulty whose natural tier is `tier`.
    public init(naturalTier tier: Tier) {
        switch tier {
        case .haiku: self = .simple
        case .sonnet: self = .standard
        case .opus: self = .hard
        }
    }

    /// 0, 1, 2 in order of demand.
    public var index: Int {
        switch self {
        case .simple: 0
        case .standard: 1
        case .hard: 2
        }
    }

    public static func < (lhs: Difficulty, rhs: Difficulty) -> Bool { lhs.index < rhs.index }

    public var description: String { rawValue }
}
