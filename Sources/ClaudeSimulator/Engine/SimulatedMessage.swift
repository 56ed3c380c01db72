import ClaudeAPI

/// One answer of the simulated model, before it is written as JSON or as a stream.
struct SimulatedMessage: Sendable {
    var id: String
    var model: SimulatedModel
    var content: [JSONValue]
    var stopReason: String
    var stopSequence: String?
    var usage: CacheUsage
    var outputTokens: Int
    /// The cache writes to commit when the response starts.
    var plan: PromptCache.Plan
    /// Output tokens spent on the thinking block (already included in `outputTokens`).
    var thinkingTokens = 0
    /// Web searches "made" (one when the request offers a `web_search_*` server tool), billed per search.
    var webSearchRequests = 0
    /// The `inference_geo` the request asked for (`global` when it named none).
    var inferenceGeo = "global"

    /// The `usage` object, with every field the API sends.
    func usageJSON(serviceTier: String, outputTokens: Int? = nil) -> JSONValue {
        [
            "input_tokens": .number(JSONNumber(usage.inputTokens)),
            "cache_creation_input_tokens": .number(JSONNumber(usage.cacheCreation)),
            "cache_read_input_tokens": .number(JSONNumber(usage.cacheRead)),
            "cache_creation": [
                "ephemeral_5m_input_tokens": .number(JSONNumber(usage.cacheWrite5m)),
                "ephemeral_1h_input_tokens": .number(JSONNumber(usage.cacheWrite1h)),
            ],
            "output_tokens": .number(JSONNumber(outputTokens ?? self.outputTokens)),
            "server_tool_use": ["web_search_requests": .number(JSONNumber(webSearchRequests)), "web_fetch_requests": 0],
            "service_tier": .string(serviceTier),
            "inference_geo": .string(inferenceGeo),
            "output_tokens_details": ["thinking_tokens": .number(JSONNumber(thinkingTokens))],
        ]
    }

    /// The Message object; `streamingStart` gives the `message_start` form (no content, null stop reason).
    func json(serviceTier: String, streamingStart: Bool = false) -> JSONValue {
        let startOutput = min(outputTokens, 1)
        return [
            "id": .string(id),
            "type": "message",
            "role": "assistant",
            "model": .string(model.datedID),
            "content": streamingStart ? [] : .array(content),
            "stop_reason": streamingStart ? .null : .string(stopReason),
            "stop_sequence": streamingStart ? .null : (stopSequence.map { .string($0) } ?? .null),
            "stop_details": .null,
            "container": .null,
            "usage": usageJSON(serviceTier: serviceTier, outputTokens: streamingStart ? startOutput : nil),
        ]
    }
}
