import ClaudeAPI
import Foundation

/// The simulated model: validates a Messages request, lays out its prompt, consults the prompt cache and
/// writes the answer. No HTTP here: the routes, batches and count_tokens all call it.
final class MessageEngine: Sendable {
    /// Per-request steering that does not come from the body (headers, in the HTTP layer).
    struct Options: Sendable {
        /// Exact output length wanted (`x-sim-output-tokens`).
        var outputTokens: Int?
        /// Force a tool call (`x-sim-tool-use`): `true`/`1`/`any` picks a tool, a tool name picks that one.
        var toolUse: String?
        /// Exact thinking length wanted with `thinking.type: enabled` (`x-sim-thinking-tokens`), capped by the
        /// budget.
        var thinkingTokens: Int?
        /// Cache isolation key: workspace (a hash of the API key) and scenario.
        var scope: String = ""
    }

    /// A validated request, ready to run.
    struct Prepared: Sendable {
        var body: JSONObject
        var model: SimulatedModel
        var layout: PromptLayout
    }

    let config: SimulatorConfig
    let cache: PromptCache
    let ids: IDGenerator
    private let validator: RequestValidator

    init(config: SimulatorConfig, cache: PromptCache, ids: IDGenerator) {
        self.config = config
        self.cache = cache
        self.ids = ids
        self.validator = RequestValidator(config: config)
    }

    /// Validates `body` for `endpoint` and lays out its prompt.
    func prepare(_ body: JSONValue, endpoint: RequestValidator.Endpoint, scope: String) throws(SimulatorError) -> Prepared {
        guard let object = body.objectValue else { throw .invalidRequest("Request body must be a JSON object") }
        let model = try validator.validate(object, endpoint: endpoint)
        let layout = try PromptLayout(body: object, model: model, scope: scope)
        if layout.totalTokens > model.contextWindow {
            throw .invalidRequest("prompt is too long: \(layout.totalTokens) tokens > \(model.contextWindow) maximum")
        }
        return Prepared(body: object, model: model, layout: layout)
    }

    /// Looks up the cache (refreshing hits) for a prepared request at `now`.
    func plan(_ prepared: Prepared, now: Double) -> PromptCache.Plan {
        cache.lookup(prepared.layout, minimumTokens: prepared.model.minCacheableTokens, now: now)
    }

    /// Writes the answer. Deterministic: the content depends only on the body (minus `stream` and `stop_sequences`), the options and
    /// the seed.
    func answer(_ prepared: Prepared, plan: PromptCache.Plan, options: Options) -> SimulatedMessage {
        let body = prepared.body
        var identity = body
        identity["stream"] = nil
        // Stop sequences cut the text the request would otherwise get, so they are not part of its identity.
        identity["stop_sequences"] = nil
        var hash = StableHash()
        hash.combine(config.seed)
        hash.combine(bytes: JSONValue.object(identity).serialized())
        var generator = OutputGenerator(generator: SeededGenerator(seed: hash.value))

        let maxTokens = body["max_tokens"]?.intValue ?? 1
        var message = SimulatedMessage(
            id: ids.next("msg"), model: prepared.model, content: [], stopReason: "end_turn", stopSequence: nil,
            usage: plan.usage, outputTokens: 0, plan: plan)
        // Server tools the simulator stands in for: a web_search tool is used once; the geo asked for is echoed.
        if let tools = body["tools"]?.arrayValue,
            tools.contains(where: { $0["type"]?.stringValue?.hasPrefix("web_search") == true })
        {
            message.webSearchRequests = 1
        }
        if let geo = body["inference_geo"]?.stringValue { message.inferenceGeo = geo }
        if maxTokens == 0 {
            // Cache pre-warming: writes the cache, answers nothing, bills no output.
            message.stopReason = "max_tokens"
            return message
        }
        let span = UInt64(config.outputTokens.upperBound - config.outputTokens.lowerBound + 1)
        let wanted = max(1, options.outputTokens ?? (config.outputTokens.lowerBound + Int(generator.generator.next() % span)))
        // On 4.5+ models input + max_tokens may exceed the window; generation then stops at the window.
        var room = prepared.model.contextWindow - prepared.layout.totalTokens
        // Extended thinking comes first and counts toward output_tokens and max_tokens; validation guaranteed
        // budget < max_tokens, so at least one token is left for the answer.
        var answerLimit = maxTokens
        if let thinking = body["thinking"], thinking["type"]?.stringValue == "enabled",
            let budget = thinking["budget_tokens"]?.intValue
        {
            let tokens = min(budget, max(1, room - 1), max(1, options.thinkingTokens ?? wanted))
            let omitted = thinking["display"]?.stringValue == "omitted"
            let text = generator.text(tokens: tokens)
            message.content.append([
                "type": "thinking", "thinking": .string(omitted ? "" : text),
                "signature": .string(Self.signature(for: text, seed: hash.value)),
            ])
            message.thinkingTokens = tokens
            message.outputTokens = tokens
            answerLimit -= tokens
            room -= tokens
        }

        if let tool = chosenTool(body, options: options) {
            let toolName = tool["name"]?.stringValue ?? "tool"
            let input = generator.input(for: tool["input_schema"])
            let cost = Tokenizer.count(toolName) + Tokenizer.count(json: input) + 3
            if cost <= answerLimit && cost <= room {
                message.content.append(
                    ["type": "tool_use", "id": .string(ids.next("toolu")), "name": .string(toolName), "input": input])
                message.outputTokens += cost
                message.stopReason = "tool_use"
                return message
            }
        }

        if let schema = body["output_config"]?["format"]?["schema"] {
            // Structured output: valid JSON for the schema (deterministic, like the text), as one text block.
            let text = generator.input(for: schema).jsonString()
            var tokens = Tokenizer.count(text)
            if tokens > answerLimit || tokens > room {
                // As the API does, a limit reached mid-answer leaves the JSON cut short.
                let limit = max(1, min(answerLimit, room))
                message.stopReason = limit == answerLimit ? "max_tokens" : "model_context_window_exceeded"
                let cut = text.prefix(text.count * limit / max(1, tokens))
                message.content.append(["type": "text", "text": .string(String(cut))])
                tokens = limit
            } else {
                message.content.append(["type": "text", "text": .string(text)])
            }
            message.outputTokens += tokens
            return message
        }

        var length = wanted
        if length > answerLimit {
            length = answerLimit
            message.stopReason = "max_tokens"
        }
        if length > room {
            length = max(1, room)
            message.stopReason = "model_context_window_exceeded"
        }
        var text = generator.text(tokens: length)
        var tokens = length
        for stop in body["stop_sequences"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !stop.isEmpty {
            if let range = text.range(of: stop) {
                text = String(text[..<range.lowerBound])
                tokens = max(1, Tokenizer.count(text))
                message.stopReason = "stop_sequence"
                message.stopSequence = stop
                break
            }
        }
        message.content.append(["type": "text", "text": .string(text)])
        message.outputTokens += tokens
        return message
    }

    /// An opaque, deterministic stand-in for the API's thinking signature (base64, like the real one), so a
    /// client that passes the block back unmodified sends the same bytes.
    static func signature(for thinking: String, seed: UInt64) -> String {
        var hash = StableHash()
        hash.combine(seed)
        hash.combine(thinking)
        var generator = SeededGenerator(seed: hash.value)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96)
        for _ in 0..<12 { withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) } }
        return Data(bytes).base64EncodedString()
    }

    /// The tool to call: forced by `tool_choice` any/tool or by the `x-sim-tool-use` option, or under `auto` the
    /// tool the last user message names (as a prompt such as "use get_weather" would make a model call it); never
    /// with `none`. With `any`, a named tool is preferred over the first.
    private func chosenTool(_ body: JSONObject, options: Options) -> JSONValue? {
        let tools = (body["tools"]?.arrayValue ?? []).filter { ($0["type"]?.stringValue ?? "custom") == "custom" }
        guard !tools.isEmpty else { return nil }
        let choice = body["tool_choice"]
        switch choice?["type"]?.stringValue {
        case "none"?: return nil
        case "tool"?: return tools.first { $0["name"] == choice?["name"] }
        case "any"?: return Self.toolNamed(in: body, tools: tools) ?? tools[0]
        default:
            if let wanted = options.toolUse?.lowercased(), !["0", "false", "no", ""].contains(wanted) {
                return tools.first { $0["name"]?.stringValue?.lowercased() == wanted } ?? tools[0]
            }
            return Self.toolNamed(in: body, tools: tools)
        }
    }

    /// The first tool whose name (or the name with `_`/`-` read as spaces) the last user message's text mentions,
    /// as a whole word. A turn that carries tool results names nothing, so an agent loop ends with an answer.
    static func toolNamed(in body: JSONObject, tools: [JSONValue]) -> JSONValue? {
        guard let last = body["messages"]?.arrayValue?.last, last["role"]?.stringValue == "user" else { return nil }
        var text = ""
        switch last["content"] {
        case .string(let value)?: text = value
        case .array(let blocks)?:
            if blocks.contains(where: { $0["type"]?.stringValue == "tool_result" }) { return nil }
            text = blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }
                .joined(separator: " ")
        default: return nil
        }
        let words = " " + String(text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : " " }) + " "
        let spaced = String(words.map { $0 == "_" || $0 == "-" ? " " : $0 })
        return tools.first { tool in
            guard let name = tool["name"]?.stringValue?.lowercased(), !name.isEmpty else { return false }
            let plain = String(name.map { $0 == "_" || $0 == "-" ? " " : $0 })
            return words.contains(" \(name) ") || spaced.contains(" \(plain) ")
        }
    }
}
