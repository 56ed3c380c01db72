/// Who speaks a turn: `user`, `assistant`, or (on some newer models) `system`; other strings are kept.
public struct Role: OpenStringValue {
    /// The `role` string.
    public var rawValue: String
    /// Wraps a `role` string.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The application's side of the conversation.
    public static let user: Role = "user"
    /// The model's side of the conversation.
    public static let assistant: Role = "assistant"
    /// A mid-conversation system turn, accepted by some newer models.
    public static let system: Role = "system"
}
