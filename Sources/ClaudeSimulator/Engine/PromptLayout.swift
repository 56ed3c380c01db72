import ClaudeAPI

/// A request's prompt laid out as the cache sees it: blocks in `tools → system → messages` order, each with its
/// token count, the running prefix total and a hash of the prefix ending at it, plus the cache breakpoints.
///
/// Building it validates everything about `cache_control` (at most 4 breakpoints, no 1h after 5m, not on thinking
/// or empty text blocks, the automatic top-level one) and throws the API's 400 otherwise.
struct PromptLayout: Sendable {
    /// One cacheable unit: a tool, a system block, or a content block of a message.
    struct Block: Sendable {
        var path: String
        var tokens: Int
        var cacheable: Bool
        var explicitTTL: CacheTTL?
    }

    /// A breakpoint at `index` in `blocks`.
    struct Breakpoint: Sendable, Hashable {
        var index: Int
        var ttl: CacheTTL
    }

    private(set) var blocks: [Block] = []
    /// `prefixTokens[i]` = tokens of blocks 0...i.
    private(set) var prefixTokens: [Int] = []
    /// `prefixHashes[i]` = hash of the prefix ending at block i.
    private(set) var prefixHashes: [StableHash] = []
    private(set) var breakpoints: [Breakpoint] = []
    /// Input tokens outside any block (the tool-use system prompt).
    private(set) var overheadTokens = 0
    private var hash: StableHash

    /// Every input token of the request.
    var totalTokens: Int { overheadTokens + (prefixTokens.last ?? 0) }

    /// Tokens of the prefix ending at block `index` (the tool-use overhead counts as the start of the prefix).
    func tokens(through index: Int) -> Int { overheadTokens + prefixTokens[index] }

    /// Lays out `body` (an already shape-checked Messages request) for `model`; `scope` isolates caches
    /// (workspace and scenario).
    init(body: JSONObject, model: SimulatedModel, scope: String) throws(SimulatorError) {
        hash = StableHash()
        hash.combine(scope)
        hash.combine(model.datedID)

        let tools = body["tools"]?.arrayValue ?? []
        let choiceType = body["tool_choice"]?["type"]?.stringValue ?? "auto"
        if !tools.isEmpty && choiceType != "none" {
            overheadTokens = (choiceType == "any" || choiceType == "tool") ? model.toolOverheadAny : model.toolOverheadAuto
        }
        for (i, tool) in tools.enumerated() {
            let plain = Self.withoutCacheControl(tool)
            try append(path: "tools.\(i)", content: plain, tokens: Tokenizer.count(json: plain), cacheable: true, cacheControl: tool["cache_control"])
        }

        hash.combine("system")
        switch body["system"] {
        case .string(let text)?:
            try append(path: "system", content: .string(text), tokens: Tokenizer.count(text), cacheable: !text.isEmpty, cacheControl: nil)
        case .array(let parts)?:
            for (i, part) in parts.enumerated() {
                let text = part["text"]?.stringValue ?? ""
                try append(path: "system.\(i)", content: Self.withoutCacheControl(part), tokens: Tokenizer.count(text), cacheable: !text.isEmpty, cacheControl: part["cache_control"])
            }
        default: break
        }

        // Changing tool_choice or the thinking config invalidates the message cache, not tools or system.
        hash.combine("messages")
        hash.combine(body["tool_choice"]?.jsonString() ?? "")
        hash.combine(body["thinking"]?.jsonString() ?? "")
        var previousRole: String?
        for (m, message) in (body["messages"]?.arrayValue ?? []).enumerated() {
            let role = message["role"]?.stringValue ?? "user"
            // Consecutive same-role turns are merged by the API: one turn, one role framing.
            let framing = role == previousRole ? 0 : 3
            previousRole = role
            hash.combine(role)
            switch message["content"] {
            case .string(let text)?:
                try append(path: "messages.\(m).content", content: .string(text), tokens: framing + Tokenizer.count(text), cacheable: !text.isEmpty, cacheControl: nil)
            case .array(let parts)?:
                for (b, part) in parts.enumerated() {
                    let path = "messages.\(m).content.\(b)"
                    let type = part["type"]?.stringValue ?? ""
                    if type == "thinking" || type == "redacted_thinking", part["cache_control"] != nil {
                        throw .invalidRequest("\(path).\(type).cache_control: Extra inputs are not permitted")
                    }
                    let isEmptyText = type == "text" && (part["text"]?.stringValue ?? "").isEmpty
                    if isEmptyText, part["cache_control"] != nil {
                        throw .invalidRequest("\(path).text: cache_control cannot be set for empty text blocks")
                    }
                    let cacheable = !isEmptyText && type != "thinking" && type != "redacted_thinking"
                    try append(path: path, content: Self.withoutCacheControl(part), tokens: (b == 0 ? framing : 0) + Self.tokens(ofBlock: part), cacheable: cacheable, cacheControl: part["cache_control"])
                }
            default: break
            }
        }

        try placeAutomaticBreakpoint(body["cache_control"])
        try checkBreakpoints()
    }

    private mutating func append(path: String, content: JSONValue, tokens: Int, cacheable: Bool, cacheControl: JSONValue?) throws(SimulatorError) {
        hash.combine(bytes: content.serialized())
        hash.combine("|")
        let ttl = try cacheControl.map { value throws(SimulatorError) in try Self.ttl(of: value, path: path + ".cache_control") }
        blocks.append(Block(path: path, tokens: tokens, cacheable: cacheable, explicitTTL: ttl))
        prefixTokens.append((prefixTokens.last ?? 0) + tokens)
        prefixHashes.append(hash)
        if let ttl { breakpoints.append(Breakpoint(index: blocks.count - 1, ttl: ttl)) }
    }

    /// Top-level `cache_control`: a breakpoint on the last cacheable block, walking back past the others.
    private mutating func placeAutomaticBreakpoint(_ value: JSONValue?) throws(SimulatorError) {
        guard let value, !value.isNull else { return }
        let ttl = try Self.ttl(of: value, path: "cache_control")
        guard let index = blocks.lastIndex(where: \.cacheable) else { return }
        if let explicit = blocks[index].explicitTTL {
            if explicit == ttl { return }
            throw .invalidRequest("cache_control: the automatic cache_control ttl='\(ttl.rawValue)' conflicts with the ttl='\(explicit.rawValue)' set on the last cacheable block \(blocks[index].path).")
        }
        if breakpoints.count >= 4 {
            throw .invalidRequest("A maximum of 4 blocks with cache_control may be provided. Found \(breakpoints.count + 1).")
        }
        breakpoints.append(Breakpoint(index: index, ttl: ttl))
        breakpoints.sort { $0.index < $1.index }
    }

    private func checkBreakpoints() throws(SimulatorError) {
        if breakpoints.count > 4 {
            throw .invalidRequest("A maximum of 4 blocks with cache_control may be provided. Found \(breakpoints.count).")
        }
        var sawFiveMinutes = false
        for breakpoint in breakpoints {
            if breakpoint.ttl == .fiveMinutes { sawFiveMinutes = true }
            if breakpoint.ttl == .oneHour && sawFiveMinutes {
                let path = blocks[breakpoint.index].path
                throw .invalidRequest("\(path).cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.")
            }
        }
    }

    private static func ttl(of value: JSONValue, path: String) throws(SimulatorError) -> CacheTTL {
        guard let object = value.objectValue else { throw .invalidRequest("\(path): Input should be an object") }
        guard object["type"]?.stringValue == "ephemeral" else {
            throw .invalidRequest("\(path).type: Input should be 'ephemeral'")
        }
        switch object["ttl"] {
        case nil, .null?: return .fiveMinutes
        case .string("5m")?: return .fiveMinutes
        case .string("1h")?: return .oneHour
        default: throw .invalidRequest("\(path).ttl: Input should be '5m' or '1h'")
        }
    }

    /// A block's identity for the cache: its JSON without `cache_control` (moving a breakpoint keeps the prefix).
    static func withoutCacheControl(_ value: JSONValue) -> JSONValue {
        guard var object = value.objectValue, object["cache_control"] != nil else { return value }
        object["cache_control"] = nil
        return .object(object)
    }

    /// Tokens of one content block by the `Tokenizer` rule.
    static func tokens(ofBlock block: JSONValue) -> Int {
        switch block["type"]?.stringValue {
        case "text": return Tokenizer.count(block["text"]?.stringValue ?? "")
        case "image": return Tokenizer.imageTokens(source: block["source"])
        case "thinking": return Tokenizer.count(block["thinking"]?.stringValue ?? "")
        case "redacted_thinking": return Tokenizer.count(block["data"]?.stringValue ?? "") / 4 + 1
        case "tool_use":
            return Tokenizer.count(block["name"]?.stringValue ?? "") + Tokenizer.count(json: block["input"] ?? .object([:]))
        case "tool_result":
            switch block["content"] {
            case .string(let text)?: return 1 + Tokenizer.count(text)
            case .array(let parts)?: return 1 + parts.reduce(0) { $0 + tokens(ofBlock: $1) }
            default: return 1
            }
        case "document":
            if block["source"]?["type"]?.stringValue == "text" {
                return Tokenizer.count(block["source"]?["data"]?.stringValue ?? "")
            }
            if let data = block["source"]?["data"]?.stringValue {
                // A base64 PDF: about one token per 3 decoded bytes, a stated stand-in for page rendering.
                return max(1, data.utf8.count * 3 / 4 / 3)
            }
            return Tokenizer.count(json: withoutCacheControl(block))
        default:
            return Tokenizer.count(json: withoutCacheControl(block))
        }
    }
}
