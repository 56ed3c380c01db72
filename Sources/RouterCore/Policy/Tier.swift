/// A model class: the router's unit of "how capable, how expensive".
///
/// Ordered from the cheapest to the most capable, so floors and downgrades are comparisons.
public enum Tier: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case haiku, sonnet, opus

    /// The rank used for ordering: haiku 0, sonnet 1, opus 2.
    public var rank: Int {
        switch self {
        case .haiku: 0
        case .sonnet: 1
        case .opus: 2
        }
    }

    /// The next cheaper tier, or nil for haiku.
    public var lower: Tier? { Tier.allCases.first { $0.rank == rank - 1 } }
    /// The next more capable tier, or nil for opus.
    public var higher: Tier? { Tier.allCases.first { $0.rank == rank + 1 } }

    public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}
