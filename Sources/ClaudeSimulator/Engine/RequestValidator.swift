import ClaudeAPI

/// Checks a Messages request the way the API does and answers with the API's 400/404 messages
/// (`messages.1.content.0: …`), field by field.
struct RequestValidator: Sendable {
    /// Where the request came from: the plain endpoint, count_tokens (no `max_tokens`) or a batch (no streaming,
    /// no `max_tokens: 0`).
    enum Endpoint: Sendable { case messages, countTokens, batch }

    let config: SimulatorConfig

    /// Validates `body` and returns its model.
    func validate(_ body: JSONObject, endpoint: Endpoint) throws(SimulatorError) -> SimulatedModel {
        guard let modelName = body["model"] else { throw .invalidRequest("model: Field required") }
        guard let name = modelName.stringValue else { throw .invalidRequest("model: Input should be a valid string") }
        if endpoint != .countTokens { try checkMaxTokens(body) }
        guard let messagesValue = body["messages"] else { throw .invalidRequest("messages: Field required") }
        guard let messages = messagesValue.arrayValue else { throw .invalidRequest("messages: Input should be a valid list") }
        guard let model = config.model(named: name) else { throw .notFound("model: \(name)") }

        let maxTokens = body["max_tokens"]?.intValue ?? 0
        if endpoint != .countTokens, maxTokens > model.maxOutputTokens {
            throw .invalidRequest("max_tokens: \(maxTokens) > \(model.maxOutputTokens), which is the maximum allowed number of output tokens for \(model.datedID)")
        }
        let streaming = body["stream"]?.boolValue ?? false
        if endpoint == .batch, streaming {
            throw .invalidRequest("stream: streaming is not supported in the Message Batches API")
        }
        if endpoint == .batch, maxTokens == 0 { throw .invalidRequest("max_tokens: Input should be greater than or equal to 1") }
        if endpoint == .messages, streaming, maxTokens == 0 {
            throw .invalidRequest("max_tokens: 0 (cache pre-warming) cannot be combined with stream: true")
        }
        try checkSampling(body, model: model)
        try checkSystem(body["system"])
        let toolNames = try checkTools(body["tools"])
        try checkToolChoice(body["tool_choice"], toolNames: toolNames, maxTokens: maxTokens)
        try checkThinking(body["thinking"], maxTokens: maxTokens, endpoint: endpoint, model: model)
        try checkOutputConfig(body["output_config"])
        if let stops = body["stop_sequences"], !(stops.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false) {
            throw .invalidRequest("stop_sequences: Input should be a valid list of strings")
        }
        try checkMessages(messages, model: model)
        return model
    }

    private func checkMaxTokens(_ body: JSONObject) throws(SimulatorError) {
        guard let value = body["max_tokens"] else { throw .invalidRequest("max_tokens: Field required") }
        guard let n = value.intValue else { throw .invalidRequest("max_tokens: Input should be a valid integer") }
        if n < 0 { throw .invalidRequest("max_tokens: Input should be greater than or equal to 0") }
    }

    private func checkSampling(_ body: JSONObject, model: SimulatedModel) throws(SimulatorError) {
        if let t = body["temperature"] {
            guard let v = t.doubleValue, (0...1).contains(v) else {
                throw .invalidRequest("temperature: Input should be less than or equal to 1")
            }
            if !model.allowsSamplingParameters, v != 1 {
                throw .invalidRequest("temperature: `temperature` is deprecated for this model; only the default value is accepted.")
            }
        }
        for key in ["top_p", "top_k"] where body[key] != nil && !model.allowsSamplingParameters {
            throw .invalidRequest("\(key): `\(key)` is deprecated for this model.")
        }
    }

    private func checkSystem(_ system: JSONValue?) throws(SimulatorError) {
        switch system {
        case nil, .null?, .string?: return
        case .array(let parts)?:
            for (i, part) in parts.enumerated() {
                guard part["type"]?.stringValue == "text", part["text"]?.stringValue != nil else {
                    throw .invalidRequest("system.\(i): Input should be a text block with a `text` string")
                }
            }
        default: throw .invalidRequest("system: Input should be a valid string or list of text blocks")
        }
    }

    private func checkTools(_ tools: JSONValue?) throws(SimulatorError) -> [String] {
        guard let tools, !tools.isNull else { return [] }
        guard let list = tools.arrayValue else { throw .invalidRequest("tools: Input should be a valid list") }
        var names: [String] = []
        for (i, tool) in list.enumerated() {
            guard tool.objectValue != nil else { throw .invalidRequest("tools.\(i): Input should be an object") }
            guard let name = tool["name"]?.stringValue else { throw .invalidRequest("tools.\(i).name: Field required") }
            let type = tool["type"]?.stringValue ?? "custom"
            if type == "custom" {
                let valid = (1...128).contains(name.utf8.count) && name.utf8.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
                }
                if !valid { throw .invalidRequest("tools.\(i).custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'") }
                guard let schema = tool["input_schema"] else { throw .invalidRequest("tools.\(i).custom.input_schema: Field required") }
                guard schema.objectValue != nil, schema["type"]?.stringValue == "object" else {
                    throw .invalidRequest("tools.\(i).custom.input_schema.type: Input should be 'object'")
                }
            }
            if names.contains(name) { throw .invalidRequest("tools: Tool names must be unique.") }
            names.append(name)
        }
        return names
    }

    private func checkToolChoice(_ choice: JSONValue?, toolNames: [String], maxTokens: Int) throws(SimulatorError) {
        guard let choice, !choice.isNull else { return }
        switch choice["type"]?.stringValue {
        case "auto"?, "none"?: return
        case "any"?:
            if toolNames.isEmpty { throw .invalidRequest("tool_choice: tool_choice.type 'any' requires `tools`") }
        case "tool"?:
            guard let name = choice["name"]?.stringValue else { throw .invalidRequest("tool_choice.tool.name: Field required") }
            if !toolNames.contains(name) { throw .invalidRequest("tool_choice: Tool '\(name)' not found in `tools`") }
        default:
            throw .invalidRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'")
        }
        if maxTokens == 0 { throw .invalidRequest("max_tokens: 0 cannot be combined with tool_choice any or tool") }
    }

    private func checkThinking(
        _ thinking: JSONValue?, maxTokens: Int, endpoint: Endpoint, model: SimulatedModel
    ) throws(SimulatorError) {
        guard let thinking, !thinking.isNull else { return }
        switch thinking["type"]?.stringValue {
        case "enabled"?:
            if !model.allowsManualThinking {
                throw .invalidRequest(
                    "thinking.type.enabled is not supported for this model. "
                        + "Use thinking.type.adaptive and output_config.effort to control thinking behavior.")
            }
            guard let budget = thinking["budget_tokens"]?.intValue else {
                throw .invalidRequest("thinking.enabled.budget_tokens: Field required")
            }
            if budget < 1_024 { throw .invalidRequest("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024") }
            if endpoint != .countTokens, budget >= maxTokens {
                throw .invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`.")
            }
        case "adaptive"?, "disabled"?: return
        default: throw .invalidRequest("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'")
        }
    }

    private func checkOutputConfig(_ config: JSONValue?) throws(SimulatorError) {
        guard let config, !config.isNull else { return }
        guard config.objectValue != nil else { throw .invalidRequest("output_config: Input should be an object") }
        if let effort = config["effort"], !effort.isNull {
            guard let level = effort.stringValue, ["low", "medium", "high", "xhigh", "max"].contains(level) else {
                throw .invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
            }
        }
        guard let format = config["format"], !format.isNull else { return }
        guard format["type"]?.stringValue == "json_schema" else {
            throw .invalidRequest("output_config.format.type: Input should be 'json_schema'")
        }
        guard format["schema"]?.objectValue != nil else {
            throw .invalidRequest("output_config.format.schema: Field required (a JSON schema object)")
        }
    }

    private func checkMessages(_ messages: [JSONValue], model: SimulatedModel) throws(SimulatorError) {
        if messages.isEmpty { throw .invalidRequest("messages: at least one message is required") }
        // Turns after merging consecutive same-role messages: (role, index of first message, tool ids).
        struct Turn { var role: String; var first: Int; var toolUses: [String] = []; var toolResults: [(id: String, path: String)] = [] }
        var turns: [Turn] = []
        for (m, message) in messages.enumerated() {
            guard message.objectValue != nil else { throw .invalidRequest("messages.\(m): Input should be an object") }
            guard let role = message["role"]?.stringValue, role == "user" || role == "assistant" else {
                throw .invalidRequest("messages.\(m).role: Input should be 'user' or 'assistant'")
            }
            if turns.last?.role != role { turns.append(Turn(role: role, first: m)) }
            switch message["content"] {
            case nil: throw .invalidRequest("messages.\(m).content: Field required")
            case .string?: break
            case .array(let blocks)?:
                for (b, block) in blocks.enumerated() {
                    let path = "messages.\(m).content.\(b)"
                    guard let type = block["type"]?.stringValue else { throw .invalidRequest("\(path).type: Field required") }
                    switch type {
                    case "text":
                        if block["text"]?.stringValue == nil { throw .invalidRequest("\(path).text.text: Field required") }
                    case "image":
                        guard let source = block["source"], let kind = source["type"]?.stringValue, kind == "base64" || kind == "url" else {
                            throw .invalidRequest("\(path).image.source: Input should be a base64 or url source")
                        }
                    case "tool_use":
                        guard let id = block["id"]?.stringValue, block["name"]?.stringValue != nil, block["input"]?.objectValue != nil else {
                            throw .invalidRequest("\(path).tool_use: `id`, `name` and an object `input` are required")
                        }
                        if role != "assistant" { throw .invalidRequest("\(path): `tool_use` blocks can only appear in assistant messages") }
                        turns[turns.count - 1].toolUses.append(id)
                    case "tool_result":
                        guard let id = block["tool_use_id"]?.stringValue else {
                            throw .invalidRequest("\(path).tool_result.tool_use_id: Field required")
                        }
                        if role != "user" { throw .invalidRequest("\(path): `tool_result` blocks can only appear in user messages") }
                        turns[turns.count - 1].toolResults.append((id, path))
                    default: break
                    }
                }
            default: throw .invalidRequest("messages.\(m).content: Input should be a valid string or list of content blocks")
            }
        }
        if turns[0].role != "user" { throw .invalidRequest("messages: first message must use the \"user\" role") }
        for (t, turn) in turns.enumerated() where turn.role == "user" {
            let offered = t > 0 ? turns[t - 1].toolUses : []
            for result in turn.toolResults where !offered.contains(result.id) {
                throw .invalidRequest("\(result.path): unexpected `tool_use_id` found in `tool_result` blocks: \(result.id). Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")
            }
        }
        for (t, turn) in turns.enumerated() where turn.role == "assistant" && !turn.toolUses.isEmpty && t + 1 < turns.count {
            let answered = Set(turns[t + 1].toolResults.map(\.id))
            let missing = turn.toolUses.filter { !answered.contains($0) }
            if !missing.isEmpty {
                throw .invalidRequest("messages.\(turns[t + 1].first): `tool_use` ids were found without `tool_result` blocks immediately after: \(missing.joined(separator: ", ")). Each `tool_use` block must have a corresponding `tool_result` block in the next message.")
            }
        }
        if turns.last?.role == "assistant", !model.allowsPrefill {
            throw .invalidRequest("This model does not support assistant message prefill. The conversation must end with a user message.")
        }
    }
}
