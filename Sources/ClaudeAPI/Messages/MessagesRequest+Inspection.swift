extension MessagesRequest {
    /// The text of the last `user` turn: its string content, or its text blocks joined by newlines (tool results
    /// and other blocks are left out). Empty when there is no user turn.
    public var lastUserText: String {
        guard case .array(let turns)? = raw["messages"] else { return "" }
        for turn in turns.reversed() where turn["role"]?.stringValue == "user" {
            return Self.text(of: turn["content"])
        }
        return ""
    }

    /// All system text: the string, or the text blocks joined by newlines. Empty when there is no system prompt.
    public var systemText: String { Self.text(of: raw["system"]) }

    /// Number of turns in `messages`.
    public var turnCount: Int { raw.array("messages")?.count ?? 0 }

    /// True when `tools` is a non-empty array.
    public var hasTools: Bool { !(raw.array("tools")?.isEmpty ?? true) }

    /// True when any message holds an image block (also inside a tool_result).
    public var hasImages: Bool { containsBlock(of: "image") }

    /// True when any message holds a document block (also inside a tool_result).
    public var hasDocuments: Bool { containsBlock(of: "document") }

    /// True when some turn is a `tool_result` or `tool_use` exchange, i.e. the conversation is an agent loop.
    public var hasToolExchange: Bool { containsBlock(of: "tool_result") || containsBlock(of: "tool_use") }

    /// Every `cache_control` marker, in the API's order: tools, system, messages, then the top-level one.
    public var cacheBreakpoints: [CacheBreakpoint] {
        var result: [CacheBreakpoint] = []
        if case .array(let tools)? = raw["tools"] {
            for (i, tool) in tools.enumerated() {
                if let ttl = Self.ttl(of: tool) { result.append(.init(location: .tool(i), ttl: ttl)) }
            }
        }
        if case .array(let blocks)? = raw["system"] {
            for (i, block) in blocks.enumerated() {
                if let ttl = Self.ttl(of: block) { result.append(.init(location: .system(i), ttl: ttl)) }
            }
        }
        if case .array(let turns)? = raw["messages"] {
            for (m, turn) in turns.enumerated() {
                guard case .array(let blocks)? = turn["content"] else { continue }
                for (b, block) in blocks.enumerated() {
                    if let ttl = Self.ttl(of: block) { result.append(.init(location: .message(m, block: b), ttl: ttl)) }
                }
            }
        }
        if let ttl = Self.ttl(of: .object(raw)) { result.append(.init(location: .topLevel, ttl: ttl)) }
        return result
    }

    /// The total UTF-8 size of all text the model reads as prose (system, text blocks, string contents, tool
    /// results' text, thinking), a cheap input to token estimation. Tool definitions and images are not counted.
    public var textByteCount: Int {
        var total = Self.textBytes(raw["system"])
        if case .array(let turns)? = raw["messages"] {
            for turn in turns { total += Self.textBytes(turn["content"]) }
        }
        return total
    }

    // MARK: helpers

    static func ttl(of value: JSONValue) -> CacheControl.TTL? {
        guard case .object(let cc)? = value["cache_control"] else { return nil }
        return cc.string("ttl").flatMap(CacheControl.TTL.init(rawValue:)) ?? .fiveMinutes
    }

    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let s)?: return s
        case .array(let blocks)?:
            var parts: [String] = []
            for block in blocks where block["type"]?.stringValue == "text" {
                if let text = block["text"]?.stringValue { parts.append(text) }
            }
            return parts.count == 1 ? parts[0] : parts.joined(separator: "\n")
        default: return ""
        }
    }

    static func textBytes(_ content: JSONValue?) -> Int {
        switch content {
        case .string(let s)?: return s.utf8.count
        case .array(let blocks)?:
            var total = 0
            for block in blocks {
                guard case .object(let b) = block else { continue }
                if let text = b.string("text") { total += text.utf8.count }
                if let thinking = b.string("thinking") { total += thinking.utf8.count }
                if b.string("type") == "tool_result" { total += textBytes(b["content"]) }
            }
            return total
        default: return 0
        }
    }

    func containsBlock(of type: String) -> Bool {
        guard case .array(let turns)? = raw["messages"] else { return false }
        for turn in turns {
            guard case .array(let blocks)? = turn["content"] else { continue }
            for block in blocks {
                guard let blockType = block["type"]?.stringValue else { continue }
                if blockType == type { return true }
                if blockType == "tool_result", case .array(let inner)? = block["content"] {
                    for item in inner where item["type"]?.stringValue == type { return true }
                }
            }
        }
        return false
    }
}
