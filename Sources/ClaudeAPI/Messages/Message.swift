/// The model's reply to `POST /v1/messages` (and the `message` of `message_start` and of a batch result).
public struct Message: JSONView {
    /// The message object.
    public var raw: JSONObject

    /// Wraps a message object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A complete reply in the API's key order.
    public init(
        id: String, model: String, content: [ContentBlock], stopReason: String?, stopSequence: String? = nil,
        usage: Usage
    ) {
        raw = [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
            "content": .array(content.map { .object($0.raw) }),
            "stop_reason": .stringOrNull(stopReason), "stop_sequence": .stringOrNull(stopSequence),
            "usage": .object(usage.raw),
        ]
    }

    /// Decodes a message body.
    ///
    /// - Throws: `WireError` when it is not JSON or not an object with a string `id`.
    public init(bytes: some Collection<UInt8>) throws(WireError) {
        let value = try JSONValue.parseBody(bytes)
        guard case .object(let object) = value else { throw .type("", expected: "an object", got: value) }
        if let usage = object["usage"], usage.objectValue == nil {
            throw .type("usage", expected: "an object", got: usage)
        }
        self.init(raw: object)
    }

    /// `id` (`msg_…`).
    public var id: String {
        get { raw.string("id") ?? "" }
        set { raw.set("id", string: newValue) }
    }

    /// `model`: the resolved, dated id when the request named an alias.
    public var model: String {
        get { raw.string("model") ?? "" }
        set { raw.set("model", string: newValue) }
    }

    /// `role`, always `assistant`.
    public var role: Role {
        get { Role(rawValue: raw.string("role") ?? "") }
        set { raw.set("role", string: newValue.rawValue) }
    }

    /// `content` blocks.
    public var content: [ContentBlock] {
        get { raw.views("content") }
        set { raw.set("content", views: newValue) }
    }

    /// The text blocks' text, concatenated.
    public var text: String { content.compactMap { $0.kind == .text ? $0.text : nil }.joined() }

    /// `stop_reason` (`end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, `pause_turn`, `refusal`, …); nil
    /// while streaming.
    public var stopReason: String? {
        get { raw.string("stop_reason") }
        set { raw.set("stop_reason", stringOrNull: newValue) }
    }

    /// `stop_sequence`, the matched stop sequence.
    public var stopSequence: String? {
        get { raw.string("stop_sequence") }
        set { raw.set("stop_sequence", stringOrNull: newValue) }
    }

    /// `usage`; an empty usage when absent.
    public var usage: Usage {
        get { Usage(json: raw["usage"]) ?? Usage(raw: [:]) }
        set { raw.set("usage", view: newValue) }
    }
}
