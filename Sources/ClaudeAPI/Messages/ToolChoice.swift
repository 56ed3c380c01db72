/// `tool_choice`: `{type:"auto"|"any"|"tool"|"none", name?, disable_parallel_tool_use?}`.
public struct ToolChoice: JSONView {
    /// The tool_choice object.
    public var raw: JSONObject

    /// Wraps a tool_choice object.
    public init(raw: JSONObject) { self.raw = raw }

    /// Let the model decide.
    public static let auto = ToolChoice(raw: ["type": "auto"])
    /// The model must use some tool.
    public static let any = ToolChoice(raw: ["type": "any"])
    /// The model must not use tools.
    public static let none = ToolChoice(raw: ["type": "none"])
    /// The model must use the tool `name`.
    public static func tool(_ name: String) -> ToolChoice { ToolChoice(raw: ["type": "tool", "name": .string(name)]) }

    /// `type`; empty when missing.
    public var type: String {
        get { raw.string("type") ?? "" }
        set { raw.set("type", string: newValue) }
    }

    /// `name`, for `type: "tool"`.
    public var name: String? {
        get { raw.string("name") }
        set { raw.set("name", string: newValue) }
    }

    /// `disable_parallel_tool_use`.
    public var disableParallelToolUse: Bool? {
        get { raw.bool("disable_parallel_tool_use") }
        set { raw.set("disable_parallel_tool_use", bool: newValue) }
    }

    /// True for `any` and `tool`, which force a tool call (and cost more tool-prompt tokens).
    public var forcesToolUse: Bool { type == "any" || type == "tool" }
}
