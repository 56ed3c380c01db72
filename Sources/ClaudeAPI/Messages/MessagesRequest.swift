/// The body of `POST /v1/messages`, as a view over the JSON object the client sent.
///
/// Decode with `init(bytes:)` or `init(json:)`, which check the shape the API checks and name the path of the
/// first mismatch; the router then reads the typed properties, changes what it decides to change (the `model`,
/// `cache_control` markers) and sends `serialized()` upstream: every other byte of meaning is as the client sent.
public struct MessagesRequest: CacheControlCarrier {
    /// The request object.
    public var raw: JSONObject

    /// Wraps a request object without validating it.
    public init(raw: JSONObject) { self.raw = raw }

    /// A minimal request.
    public init(model: String, maxTokens: Int, messages: [MessageParam]) {
        raw = [
            "model": .string(model), "max_tokens": .number(JSONNumber(maxTokens)),
            "messages": .array(messages.map { .object($0.raw) }),
        ]
    }

    /// `model`; empty when missing.
    public var model: String {
        get { raw.string("model") ?? "" }
        set { raw.set("model", string: newValue) }
    }

    /// `max_tokens`; 0 when missing.
    public var maxTokens: Int {
        get { raw.int("max_tokens") ?? 0 }
        set { raw.set("max_tokens", int: newValue) }
    }

    /// `messages`, as views over the turn objects.
    public var messages: [MessageParam] {
        get { raw.views("messages") }
        set { raw.set("messages", views: newValue) }
    }

    /// `system`, a string or text blocks; nil when absent.
    public var system: MessageContent? {
        get { MessageContent(json: raw["system"]) }
        set { raw["system"] = newValue?.json }
    }

    /// `tools`; empty when absent. Setting an empty array writes `[]`; use `raw["tools"] = nil` to remove.
    public var tools: [Tool] {
        get { raw.views("tools") }
        set { raw.set("tools", views: newValue) }
    }

    /// `tool_choice`.
    public var toolChoice: ToolChoice? {
        get { ToolChoice(json: raw["tool_choice"]) }
        set { raw.set("tool_choice", view: newValue) }
    }

    /// `stream`; false when absent.
    public var stream: Bool {
        get { raw.bool("stream") ?? false }
        set { raw.set("stream", bool: newValue) }
    }

    /// `service_tier` (`auto`, `standard_only`).
    public var serviceTier: String? {
        get { raw.string("service_tier") }
        set { raw.set("service_tier", string: newValue) }
    }

    /// `metadata.user_id`.
    public var metadataUserID: String? { raw.object("metadata")?.string("user_id") }

    /// `metadata`, kept as JSON.
    public var metadata: JSONObject? {
        get { raw.object("metadata") }
        set { raw["metadata"] = newValue.map(JSONValue.object) }
    }

    /// `stop_sequences`.
    public var stopSequences: [String]? {
        get { raw.array("stop_sequences")?.compactMap(\.stringValue) }
        set { raw["stop_sequences"] = newValue.map { .array($0.map(JSONValue.string)) } }
    }

    /// `temperature`.
    public var temperature: Double? {
        get { raw["temperature"]?.doubleValue }
        set { raw["temperature"] = newValue.map { .number(JSONNumber($0)) } }
    }

    /// `thinking`, kept as JSON (`{type:"enabled", budget_tokens}`, `{type:"adaptive"}`, …).
    public var thinking: JSONObject? {
        get { raw.object("thinking") }
        set { raw["thinking"] = newValue.map(JSONValue.object) }
    }

    /// `output_config`, kept as JSON.
    public var outputConfig: JSONObject? {
        get { raw.object("output_config") }
        set { raw["output_config"] = newValue.map(JSONValue.object) }
    }
}
