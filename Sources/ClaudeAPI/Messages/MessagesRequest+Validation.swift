extension MessagesRequest {
    /// Decodes and checks a request body.
    ///
    /// - Throws: `WireError` for invalid JSON, or naming the path of the first shape mismatch (see `init(json:)`).
    public init(bytes: some Collection<UInt8>) throws(WireError) {
        try self.init(json: JSONValue.parseBody(bytes))
    }

    /// Checks a parsed body and wraps it, in one pass over the fields the API checks at the shape level.
    ///
    /// Checked: `model` a string; `max_tokens` an integer ≥ 0; `messages` an array of `{role, content}` with role
    /// `user`, `assistant` or `system` and content a string or an array of objects each with a string `type`;
    /// `system` a string or an array of text blocks; `tools` an array of objects; `tool_choice` an object with a
    /// string `type`; `stream` a boolean; `stop_sequences` strings; `metadata` an object; every `cache_control`
    /// (top level, tools, system, message blocks) `{type:"ephemeral", ttl?:"5m"|"1h"}`.
    /// Not checked (the simulator's job): alternating roles, tool_use/tool_result pairing, limits.
    ///
    /// - Throws: `WireError`, e.g. `messages[2].content[0].type: expected a string, got number`.
    public init(json: JSONValue) throws(WireError) {
        self.init(raw: try Self.validated(json, requireMaxTokens: true))
    }

    /// Checks that `json` is an object with the shape of a messages request and returns it; `requireMaxTokens` is
    /// false for count_tokens.
    static func validated(_ json: JSONValue, requireMaxTokens: Bool) throws(WireError) -> JSONObject {
        guard case .object(let object) = json else { throw .type("", expected: "an object", got: json) }
        var sawModel = false
        var sawMaxTokens = false
        var sawMessages = false
        for (key, value) in object {
            switch key {
            case "model":
                guard case .string = value else { throw .type("model", expected: "a string", got: value) }
                sawModel = true
            case "max_tokens":
                guard case .number(let n) = value else { throw .type("max_tokens", expected: "an integer", got: value) }
                guard let tokens = n.intValue else { throw .value("max_tokens", "expected an integer, got \(n.text)") }
                guard tokens >= 0 else { throw .value("max_tokens", "must be greater than or equal to 0") }
                sawMaxTokens = true
            case "messages":
                guard case .array(let turns) = value else { throw .type("messages", expected: "an array", got: value) }
                for (i, turn) in turns.enumerated() { try validateTurn(turn, index: i) }
                sawMessages = true
            case "system":
                try validateSystem(value)
            case "tools":
                guard case .array(let tools) = value else { throw .type("tools", expected: "an array", got: value) }
                for (i, tool) in tools.enumerated() {
                    guard case .object(let t) = tool else {
                        throw .type("tools[\(i)]", expected: "an object", got: tool)
                    }
                    if let cc = t["cache_control"] { try validateCacheControl(cc, path: "tools[\(i)].cache_control") }
                }
            case "tool_choice":
                guard case .object(let choice) = value else {
                    throw .type("tool_choice", expected: "an object", got: value)
                }
                guard let type = choice["type"] else { throw .missing("tool_choice.type") }
                guard case .string = type else { throw .type("tool_choice.type", expected: "a string", got: type) }
            case "stream":
                guard case .bool = value else { throw .type("stream", expected: "a boolean", got: value) }
            case "stop_sequences":
                guard case .array(let sequences) = value else {
                    throw .type("stop_sequences", expected: "an array", got: value)
                }
                for (i, s) in sequences.enumerated() {
                    guard case .string = s else { throw .type("stop_sequences[\(i)]", expected: "a string", got: s) }
                }
            case "metadata":
                guard case .object = value else { throw .type("metadata", expected: "an object", got: value) }
            case "temperature", "top_p", "top_k":
                guard case .number = value else { throw .type(key, expected: "a number", got: value) }
            case "cache_control":
                try validateCacheControl(value, path: "cache_control")
            default:
                continue
            }
        }
        if !sawModel { throw .missing("model") }
        if requireMaxTokens && !sawMaxTokens { throw .missing("max_tokens") }
        if !sawMessages { throw .missing("messages") }
        return object
    }

    static func validateTurn(_ turn: JSONValue, index i: Int) throws(WireError) {
        guard case .object(let object) = turn else { throw .type("messages[\(i)]", expected: "an object", got: turn) }
        guard let role = object["role"] else { throw .missing("messages[\(i)].role") }
        guard case .string(let r) = role else { throw .type("messages[\(i)].role", expected: "a string", got: role) }
        guard r == "user" || r == "assistant" || r == "system" else {
            throw .value("messages[\(i)].role", "expected 'user' or 'assistant', got '\(r)'")
        }
        guard let content = object["content"] else { throw .missing("messages[\(i)].content") }
        switch content {
        case .string: return
        case .array(let blocks):
            for (j, block) in blocks.enumerated() {
                try validateBlock(block, path: "messages[\(i)].content[\(j)]")
            }
        default:
            throw .type("messages[\(i)].content", expected: "a string or an array of blocks", got: content)
        }
    }

    static func validateBlock(_ block: JSONValue, path: @autoclosure () -> String) throws(WireError) {
        guard case .object(let object) = block else { throw .type(path(), expected: "an object", got: block) }
        guard let type = object["type"] else { throw .missing(path() + ".type") }
        guard case .string = type else { throw .type(path() + ".type", expected: "a string", got: type) }
        if let cc = object["cache_control"] { try validateCacheControl(cc, path: path() + ".cache_control") }
        // A tool_result's content may itself be blocks, which the API checks the same way.
        if case .string("tool_result") = type, case .array(let inner)? = object["content"] {
            for (k, block) in inner.enumerated() { try validateBlock(block, path: path() + ".content[\(k)]") }
        }
    }

    static func validateSystem(_ value: JSONValue) throws(WireError) {
        switch value {
        case .string: return
        case .array(let blocks):
            for (i, block) in blocks.enumerated() {
                try validateBlock(block, path: "system[\(i)]")
                if block["type"]?.stringValue != "text" {
                    throw .value("system[\(i)].type", "expected 'text', got '\(block["type"]?.stringValue ?? "")'")
                }
                guard let text = block["text"] else { throw .missing("system[\(i)].text") }
                guard case .string = text else { throw .type("system[\(i)].text", expected: "a string", got: text) }
            }
        default:
            throw .type("system", expected: "a string or an array of text blocks", got: value)
        }
    }

    static func validateCacheControl(_ value: JSONValue, path: @autoclosure () -> String) throws(WireError) {
        guard case .object(let object) = value else {
            if case .null = value { return }  // the SDKs send null for "no marker"
            throw .type(path(), expected: "an object", got: value)
        }
        guard let type = object["type"] else { throw .missing(path() + ".type") }
        guard case .string(let t) = type else { throw .type(path() + ".type", expected: "a string", got: type) }
        guard t == "ephemeral" else { throw .value(path() + ".type", "expected 'ephemeral', got '\(t)'") }
        guard let ttl = object["ttl"] else { return }
        guard case .string(let s) = ttl else { throw .type(path() + ".ttl", expected: "a string", got: ttl) }
        guard s == "5m" || s == "1h" else { throw .value(path() + ".ttl", "expected '5m' or '1h', got '\(s)'") }
    }
}
