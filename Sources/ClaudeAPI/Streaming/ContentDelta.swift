/// The `delta` of a `content_block_delta`: `text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`,
/// `citations_delta`, or another type kept whole.
public struct ContentDelta: JSONView {
    /// The delta object.
    public var raw: JSONObject

    /// Wraps a delta object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A `text_delta`.
    public static func text(_ text: String) -> ContentDelta {
        ContentDelta(raw: ["type": "text_delta", "text": .string(text)])
    }

    /// An `input_json_delta` (a piece of a tool_use block's input JSON).
    public static func inputJSON(_ partialJSON: String) -> ContentDelta {
        ContentDelta(raw: ["type": "input_json_delta", "partial_json": .string(partialJSON)])
    }

    /// A `thinking_delta`.
    public static func thinking(_ thinking: String) -> ContentDelta {
        ContentDelta(raw: ["type": "thinking_delta", "thinking": .string(thinking)])
    }

    /// A `signature_delta`.
    public static func signature(_ signature: String) -> ContentDelta {
        ContentDelta(raw: ["type": "signature_delta", "signature": .string(signature)])
    }

    /// `type`.
    public var type: String { raw.string("type") ?? "" }

    /// `text` of a text_delta.
    public var text: String? { raw.string("text") }

    /// `partial_json` of an input_json_delta.
    public var partialJSON: String? { raw.string("partial_json") }

    /// `thinking` of a thinking_delta.
    public var thinking: String? { raw.string("thinking") }

    /// `signature` of a signature_delta.
    public var signature: String? { raw.string("signature") }
}
