extension ModelInfo {
    /// A `capabilities` object with every key the API (and the SDK's `ModelCapabilities`) has: `batch`,
    /// `citations`, `code_execution`, `context_management`, `effort`, `image_input`, `pdf_input`, `server_tools`,
    /// `structured_outputs` and `thinking` (with its `types`), each `{"supported": bool}` at least.
    ///
    /// - Parameter manualThinking: whether `thinking: {type: enabled}` is accepted (false on adaptive-only models).
    public static func standardCapabilities(manualThinking: Bool) -> JSONObject {
        func supported(_ value: Bool) -> JSONValue { ["supported": .bool(value)] }
        let yes = supported(true)
        return [
            "batch": yes, "citations": yes, "code_execution": yes,
            "context_management": [
                "supported": true, "clear_thinking_20251015": yes, "clear_tool_uses_20250919": yes,
                "compact_20260112": yes,
            ],
            "effort": ["supported": true, "low": yes, "medium": yes, "high": yes, "xhigh": yes, "max": yes],
            "image_input": yes, "pdf_input": yes,
            "server_tools": ["supported": true, "code_execution": yes, "web_search": yes],
            "structured_outputs": yes,
            "thinking": [
                "supported": true,
                "types": [
                    "adaptive": yes, "between_tools": supported(false), "disabled": yes,
                    "enabled": supported(manualThinking),
                ],
            ],
        ]
    }

    /// The model line (`haiku`, `sonnet`, `opus`, `fable`, `mythos`) named in `id`, or nil.
    public static func line(of id: String) -> String? {
        let lowered = id.lowercased()
        return ["haiku", "sonnet", "opus", "fable", "mythos"].first { lowered.contains($0) }
    }

    /// Sets the lifecycle fields of an active model: `lifecycle: active`, `deprecated_at` and `retires_at` null,
    /// and `line` (null when unknown).
    public mutating func markActive(line: String?) {
        raw["lifecycle"] = "active"
        raw.set("line", stringOrNull: line)
        raw["deprecated_at"] = .null
        raw["retires_at"] = .null
    }
}
