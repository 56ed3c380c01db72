/// One model the simulator serves: its ids, limits and the facts that shape its usage numbers.
///
/// Read from the `models` array of the config file; every field but `id` has a default, so a file may list
/// only what differs from `SimulatorConfig.default`.
public struct SimulatedModel: Sendable, Hashable, Codable {
    /// The id clients send (`claude-sonnet-4-5`, `claude-opus-5`).
    public var id: String
    /// The pinned id the response's `model` carries; equal to `id` for models without a dated snapshot.
    public var datedID: String
    /// Other names that resolve to this model.
    public var aliases: [String]
    /// The name `GET /v1/models` shows.
    public var displayName: String
    /// Release time as RFC 3339 (`created_at` in the models list, which is sorted newest first).
    public var createdAt: String
    /// Largest accepted `max_tokens`.
    public var maxOutputTokens: Int
    /// Context window: input above it is rejected with "prompt is too long".
    public var contextWindow: Int
    /// Prefixes shorter than this are silently not cached.
    public var minCacheableTokens: Int
    /// Name of the rate-limit bucket (models sharing one name share one bucket).
    public var rateLimitBucket: String
    /// Input tokens the API adds for its tool-use system prompt with `tool_choice` auto/none.
    public var toolOverheadAuto: Int
    /// Input tokens the API adds with `tool_choice` any/tool.
    public var toolOverheadAny: Int
    /// False for models that reject a final assistant message (prefill) with 400 (Opus/Sonnet 4.6 and later).
    public var allowsPrefill: Bool
    /// False for models that reject a non-default `temperature`, `top_p` or `top_k` (Opus 4.7 and later).
    public var allowsSamplingParameters: Bool
    /// True when cache reads count toward ITPM (the retired Haiku 3.5 behaviour).
    public var cacheReadsCountTowardITPM: Bool
    /// False for models that reject manual `thinking: {type: enabled}` with 400 (adaptive only: Opus 4.7 and
    /// later, the 5 family, Fable).
    public var allowsManualThinking: Bool

    /// A model with the given id; other fields default to a 200k-context, 64k-output model.
    public init(
        id: String, datedID: String? = nil, aliases: [String] = [], displayName: String? = nil,
        createdAt: String = "2025-01-01T00:00:00Z", maxOutputTokens: Int = 64_000, contextWindow: Int = 200_000,
        minCacheableTokens: Int = 1_024, rateLimitBucket: String? = nil, toolOverheadAuto: Int = 496,
        toolOverheadAny: Int = 588, allowsPrefill: Bool = true, allowsSamplingParameters: Bool = true,
        cacheReadsCountTowardITPM: Bool = false, allowsManualThinking: Bool = true
    ) {
        self.id = id
        self.datedID = datedID ?? id
        self.aliases = aliases
        self.displayName = displayName ?? id
        self.createdAt = createdAt
        self.maxOutputTokens = maxOutputTokens
        self.contextWindow = contextWindow
        self.minCacheableTokens = minCacheableTokens
        self.rateLimitBucket = rateLimitBucket ?? id
        self.toolOverheadAuto = toolOverheadAuto
        self.toolOverheadAny = toolOverheadAny
        self.allowsPrefill = allowsPrefill
        self.allowsSamplingParameters = allowsSamplingParameters
        self.cacheReadsCountTowardITPM = cacheReadsCountTowardITPM
        self.allowsManualThinking = allowsManualThinking
    }

    enum CodingKeys: String, CodingKey {
        case id, datedID = "dated_id", aliases, displayName = "display_name", createdAt = "created_at"
        case maxOutputTokens = "max_output_tokens", contextWindow = "context_window"
        case minCacheableTokens = "min_cacheable_tokens", rateLimitBucket = "rate_limit_bucket"
        case toolOverheadAuto = "tool_overhead_auto", toolOverheadAny = "tool_overhead_any"
        case allowsPrefill = "allows_prefill", allowsSamplingParameters = "allows_sampling_parameters"
        case cacheReadsCountTowardITPM = "cache_reads_count_toward_itpm"
        case allowsManualThinking = "allows_manual_thinking"
    }

    /// Decodes a model; absent fields take the defaults of `init(id:…)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        self.init(
            id: id,
            datedID: try c.decodeIfPresent(String.self, forKey: .datedID),
            aliases: try c.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            displayName: try c.decodeIfPresent(String.self, forKey: .displayName),
            createdAt: try c.decodeIfPresent(String.self, forKey: .createdAt) ?? "2025-01-01T00:00:00Z",
            maxOutputTokens: try c.decodeIfPresent(Int.self, forKey: .maxOutputTokens) ?? 64_000,
            contextWindow: try c.decodeIfPresent(Int.self, forKey: .contextWindow) ?? 200_000,
            minCacheableTokens: try c.decodeIfPresent(Int.self, forKey: .minCacheableTokens) ?? 1_024,
            rateLimitBucket: try c.decodeIfPresent(String.self, forKey: .rateLimitBucket),
            toolOverheadAuto: try c.decodeIfPresent(Int.self, forKey: .toolOverheadAuto) ?? 496,
            toolOverheadAny: try c.decodeIfPresent(Int.self, forKey: .toolOverheadAny) ?? 588,
            allowsPrefill: try c.decodeIfPresent(Bool.self, forKey: .allowsPrefill) ?? true,
            allowsSamplingParameters: try c.decodeIfPresent(Bool.self, forKey: .allowsSamplingParameters) ?? true,
            cacheReadsCountTowardITPM: try c.decodeIfPresent(Bool.self, forKey: .cacheReadsCountTowardITPM) ?? false,
            allowsManualThinking: try c.decodeIfPresent(Bool.self, forKey: .allowsManualThinking) ?? true
        )
    }
}
