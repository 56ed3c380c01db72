/// What a candidate breakpoint ends: the stable boundaries the planner considers.
///
/// The planner learns, per kind, how often a prefix never seen before is reused, so a new system prompt and a
/// new conversation turn get different priors.
public enum CacheBoundaryKind: UInt8, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The end of the tool definitions.
    case tools = 0
    /// The end of the system prompt.
    case system = 1
    /// The end of a message that is not the last one (an earlier turn of the conversation).
    case message = 2
    /// The end of the whole request: the conversation so far, which the next turn will extend.
    case conversation = 3

    /// The kind in words, for decision reasons.
    public var description: String {
        switch self {
        case .tools: "end of tools"
        case .system: "end of system prompt"
        case .message: "end of an earlier message"
        case .conversation: "end of the conversation so far"
        }
    }
}
