/// One entry of `tools`: a custom tool `{name, description?, input_schema, cache_control?}` or a versioned server
/// tool (`{type:"web_search_20260209", name, …}`), kept whole.
public struct Tool: CacheControlCarrier {
    /// The tool object.
    public var raw: JSONObject

    /// Wraps a tool object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A custom tool.
    public init(name: String, description: String? = nil, inputSchema: JSONValue) {
        raw = ["name": .string(name)]
        if let description { raw["description"] = .string(description) }
        raw["input_schema"] = inputSchema
    }

    /// `name`; empty when missing.
    public var name: String {
        get { raw.string("name") ?? "" }
        set { raw.set("name", string: newValue) }
    }

    /// `type`: nil or `"custom"` for a custom tool, a versioned name for a server tool.
    public var type: String? {
        get { raw.string("type") }
        set { raw.set("type", string: newValue) }
    }

    /// `description`.
    public var description: String? {
        get { raw.string("description") }
        set { raw.set("description", string: newValue) }
    }

    /// `input_schema`, kept as JSON.
    public var inputSchema: JSONValue? {
        get { raw["input_schema"] }
        set { raw["input_schema"] = newValue }
    }

    /// True for a server tool (a `type` other than `custom`).
    public var isServerTool: Bool {
        if let type, type != "custom" { return true }
        return false
    }
}
