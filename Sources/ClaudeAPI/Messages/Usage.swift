/// `usage` of a response, a `message_start` or a `message_delta`: token counts by kind and the service tier.
///
/// `cacheCreation5mInputTokens` and `cacheCreation1hInputTokens` split the cache writes by TTL; when the
/// `cache_creation` object is absent, every written token counts as 5-minute (the API's default TTL).
public struct Usage: JSONView {
    /// The usage object.
    public var raw: JSONObject

    /// Wraps a usage object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A usage object with the given counts, in the API's key order.
    public init(
        inputTokens: Int, outputTokens: Int, cacheCreation5m: Int = 0, cacheCreation1h: Int = 0,
        cacheReadInputTokens: Int = 0, serviceTier: String? = "standard"
    ) {
        raw = [
            "input_tokens": .number(JSONNumber(inputTokens)),
            "cache_creation_input_tokens": .number(JSONNumber(cacheCreation5m + cacheCreation1h)),
            "cache_read_input_tokens": .number(JSONNumber(cacheReadInputTokens)),
            "cache_creation": [
                "ephemeral_5m_input_tokens": .number(JSONNumber(cacheCreation5m)),
                "ephemeral_1h_input_tokens": .number(JSONNumber(cacheCreation1h)),
            ],
            "output_tokens": .number(JSONNumber(outputTokens)),
        ]
        if let serviceTier { raw["service_tier"] = .string(serviceTier) }
    }

    /// `input_tokens`: input after the last cache breakpoint; 0 when absent.
    public var inputTokens: Int {
        get { raw.int("input_tokens") ?? 0 }
        set { raw.set("input_tokens", int: newValue) }
    }

    /// `output_tokens` (thinking included); 0 when absent.
    public var outputTokens: Int {
        get { raw.int("output_tokens") ?? 0 }
        set { raw.set("output_tokens", int: newValue) }
    }

    /// `cache_creation_input_tokens`: tokens written to the cache, both TTLs; 0 when absent.
    public var cacheCreationInputTokens: Int {
        get { raw.int("cache_creation_input_tokens") ?? 0 }
        set { raw.set("cache_creation_input_tokens", int: newValue) }
    }

    /// `cache_read_input_tokens`; 0 when absent.
    public var cacheReadInputTokens: Int {
        get { raw.int("cache_read_input_tokens") ?? 0 }
        set { raw.set("cache_read_input_tokens", int: newValue) }
    }

    /// Cache writes with a 5-minute TTL: `cache_creation.ephemeral_5m_input_tokens`, or all of
    /// `cache_creation_input_tokens` when `cache_creation` is absent.
    public var cacheCreation5mInputTokens: Int {
        guard let split = raw.object("cache_creation") else { return cacheCreationInputTokens }
        return split.int("ephemeral_5m_input_tokens") ?? 0
    }

    /// Cache writes with a 1-hour TTL: `cache_creation.ephemeral_1h_input_tokens`, 0 when absent.
    public var cacheCreation1hInputTokens: Int {
        raw.object("cache_creation")?.int("ephemeral_1h_input_tokens") ?? 0
    }

    /// All input: `input_tokens + cache_creation_input_tokens + cache_read_input_tokens` (saturating at `Int.max`:
    /// counts come from the upstream and are not trusted to be sane).
    public var totalInputTokens: Int {
        let (partial, o1) = inputTokens.addingReportingOverflow(cacheCreationInputTokens)
        let (total, o2) = partial.addingReportingOverflow(cacheReadInputTokens)
        return o1 || o2 ? .max : total
    }

    /// The count keys present with a value that is not a whole number in 64 bits (a broken upstream): such a
    /// usage cannot be billed as reported.
    public var unreadableCounts: [String] {
        var bad: [String] = []
        for key in ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] {
            if let value = raw[key], !value.isNull, value.intValue == nil { bad.append(key) }
        }
        for key in ["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"] {
            if let value = raw.object("cache_creation")?[key], !value.isNull, value.intValue == nil {
                bad.append("cache_creation.\(key)")
            }
        }
        if let value = raw.object("server_tool_use")?["web_search_requests"], !value.isNull, value.intValue == nil {
            bad.append("server_tool_use.web_search_requests")
        }
        return bad
    }

    /// `service_tier`: `standard`, `priority` or `batch`.
    public var serviceTier: String? {
        get { raw.string("service_tier") }
        set { raw.set("service_tier", string: newValue) }
    }

    /// `inference_geo`: `global`, `us` or `not_available`.
    public var inferenceGeo: String? {
        get { raw.string("inference_geo") }
        set { raw.set("inference_geo", string: newValue) }
    }

    /// `server_tool_use.web_search_requests`, billed per search; 0 when absent.
    public var webSearchRequests: Int { raw.object("server_tool_use")?.int("web_search_requests") ?? 0 }

    /// Applies a `message_delta` usage (whose counts are cumulative) over `self` (the `message_start` usage):
    /// every field the delta carries replaces this one's, and the fields it does not carry are kept.
    ///
    /// A delta carries `cache_creation_input_tokens` without the `cache_creation` split by TTL: the split from
    /// `message_start` is kept, and if the delta's total differs from it the difference goes to (or comes off)
    /// the 5-minute writes, the API's default TTL, never making either part negative. `server_tool_use` is merged
    /// key by key.
    public mutating func merge(_ delta: Usage) {
        let split = raw.object("cache_creation")
        for (key, value) in delta.raw where !value.isNull {
            if key == "server_tool_use", case .object(let incoming) = value,
                case .object(var current)? = raw["server_tool_use"]
            {
                for (k, v) in incoming where !v.isNull { current[k] = v }
                raw[key] = .object(current)
                continue
            }
            raw[key] = value
        }
        guard delta.raw.object("cache_creation") == nil, let split,
            delta.raw["cache_creation_input_tokens"].map({ !$0.isNull }) == true
        else { return }
        // The delta's total without its split: keep the start's 1h part and let the 5m part take the rest.
        let total = delta.cacheCreationInputTokens
        let oneHour = min(split.int("ephemeral_1h_input_tokens") ?? 0, max(0, total))
        var kept = split
        kept.set("ephemeral_1h_input_tokens", int: oneHour)
        kept.set("ephemeral_5m_input_tokens", int: max(0, total - oneHour))
        raw["cache_creation"] = .object(kept)
    }
}
