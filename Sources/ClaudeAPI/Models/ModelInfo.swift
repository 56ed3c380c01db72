/// A model object of `/v1/models`: `{type:"model", id, display_name, created_at, max_input_tokens?, max_tokens?,
/// capabilities?}`.
public struct ModelInfo: JSONView {
    /// The model object.
    public var raw: JSONObject

    /// Wraps a model object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A model object; `createdAt` is RFC 3339 (`2026-07-24T00:00:00Z`).
    public init(id: String, displayName: String, createdAt: String, maxInputTokens: Int? = nil, maxTokens: Int? = nil) {
        raw = ["type": "model", "id": .string(id), "display_name": .string(displayName), "created_at": .string(createdAt)]
        raw.set("max_input_tokens", int: maxInputTokens)
        raw.set("max_tokens", int: maxTokens)
    }

    /// `id`.
    public var id: String {
        get { raw.string("id") ?? "" }
        set { raw.set("id", string: newValue) }
    }

    /// `display_name`.
    public var displayName: String {
        get { raw.string("display_name") ?? "" }
        set { raw.set("display_name", string: newValue) }
    }

    /// `created_at`, RFC 3339.
    public var createdAt: String {
        get { raw.string("created_at") ?? "" }
        set { raw.set("created_at", string: newValue) }
    }

    /// `max_input_tokens`, the context window.
    public var maxInputTokens: Int? {
        get { raw.int("max_input_tokens") }
        set { raw.set("max_input_tokens", int: newValue) }
    }

    /// `max_tokens`, the output limit.
    public var maxTokens: Int? {
        get { raw.int("max_tokens") }
        set { raw.set("max_tokens", int: newValue) }
    }

    /// `capabilities`, kept as JSON.
    public var capabilities: JSONObject? {
        get { raw.object("capabilities") }
        set { raw["capabilities"] = newValue.map(JSONValue.object) }
    }

    /// `capabilities.<name>.supported`, e.g. `supports("batch")`; nil when not stated.
    public func supports(_ capability: String) -> Bool? {
        raw.object("capabilities")?.object(capability)?.bool("supported")
    }
}
