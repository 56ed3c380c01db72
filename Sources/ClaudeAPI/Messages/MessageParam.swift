/// One turn of a request's `messages`: `{role, content}`, content a string or an array of blocks.
///
/// Named after the SDKs' `MessageParam`; the model's reply is `Message`.
public struct MessageParam: JSONView {
    /// The turn object.
    public var raw: JSONObject

    /// Wraps a turn object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A turn with string content.
    public init(role: Role, text: String) {
        raw = ["role": .string(role.rawValue), "content": .string(text)]
    }

    /// A turn with block content.
    public init(role: Role, blocks: [ContentBlock]) {
        raw = ["role": .string(role.rawValue), "content": .array(blocks.map { .object($0.raw) })]
    }

    /// `role`; empty when missing.
    public var role: Role {
        get { Role(rawValue: raw.string("role") ?? "") }
        set { raw.set("role", string: newValue.rawValue) }
    }

    /// `content`; an empty string when missing or malformed.
    public var content: MessageContent {
        get { MessageContent(json: raw["content"]) ?? .text("") }
        set { raw["content"] = newValue.json }
    }

    /// The content as blocks (a string becomes one text block).
    public var blocks: [ContentBlock] { content.blocks }

    /// The text of the turn: the string, or its text blocks joined by newlines.
    public var text: String { content.text }
}
