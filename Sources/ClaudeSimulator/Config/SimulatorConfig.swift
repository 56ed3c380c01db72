public import Foundation

/// Everything the simulator is told rather than hard-codes: its models, rate-limit tiers, output sizes,
/// batch timing, latency and fault programs.
///
/// Build it in the composition root (`claude-router simulate --config FILE`, or from the policy's model section)
/// and pass it to `ClaudeSimulator(config:clock:logger:)`. The JSON file form uses snake_case keys; every key is
/// optional and an absent one keeps the value of `SimulatorConfig.default`.
public struct SimulatorConfig: Sendable, Hashable {
    /// The models served, in no particular order (`GET /v1/models` sorts them newest first).
    public var models: [SimulatedModel]
    /// Rate limits per tier name, then per rate-limit bucket name.
    public var tiers: [String: [String: RateLimits]]
    /// The tier in effect.
    public var tier: String
    /// Limits for a bucket the tier does not list.
    public var fallbackLimits: RateLimits
    /// When set, the only accepted `x-api-key`; when nil any non-empty key is accepted.
    public var apiKey: String?
    /// Seed mixed into every generated id and text, so runs with the same seed answer the same.
    public var seed: UInt64
    /// Output length, in tokens, of a reply whose length no header steers: chosen per request in this range.
    public var outputTokens: ClosedRange<Int>
    /// Simulated seconds a batch takes to process all its requests.
    public var batchProcessingSeconds: Double
    /// Real milliseconds before the first byte of every response (0 for benchmarks of the router).
    public var firstByteDelayMilliseconds: Int
    /// Real milliseconds between streamed deltas.
    public var interDeltaDelayMilliseconds: Int
    /// Output tokens per streamed `text_delta`.
    public var tokensPerDelta: Int
    /// Fault programs installed at start, by scenario (the empty scenario applies to requests without one).
    public var faults: [String: FaultProgram]
    /// The `anthropic-organization-id` header value.
    public var organizationID: String
    /// Most batch requests that may be waiting in the processing queue (batches `in_progress`), per tier name;
    /// a batch that would go over is refused with 429. A tier not listed has no queue limit.
    public var batchQueueLimits: [String: Int]

    /// A configuration; every parameter defaults to the value in `SimulatorConfig.default`.
    public init(
        models: [SimulatedModel] = SimulatorConfig.defaultModels,
        tiers: [String: [String: RateLimits]] = SimulatorConfig.defaultTiers,
        tier: String = "build",
        fallbackLimits: RateLimits = RateLimits(
            requestsPerMinute: 5_000, inputTokensPerMinute: 5_000_000, outputTokensPerMinute: 1_000_000),
        apiKey: String? = nil,
        seed: UInt64 = 0,
        outputTokens: ClosedRange<Int> = 20...200,
        batchProcessingSeconds: Double = 60,
        firstByteDelayMilliseconds: Int = 0,
        interDeltaDelayMilliseconds: Int = 0,
        tokensPerDelta: Int = 8,
        faults: [String: FaultProgram] = [:],
        organizationID: String = "00000000-0000-4000-8000-000000000000",
        batchQueueLimits: [String: Int] = SimulatorConfig.defaultBatchQueueLimits
    ) {
        self.models = models
        self.tiers = tiers
        self.tier = tier
        self.fallbackLimits = fallbackLimits
        self.apiKey = apiKey
        self.seed = seed
        self.outputTokens = outputTokens
        self.batchProcessingSeconds = batchProcessingSeconds
        self.firstByteDelayMilliseconds = firstByteDelayMilliseconds
        self.interDeltaDelayMilliseconds = interDeltaDelayMilliseconds
        self.tokensPerDelta = max(1, tokensPerDelta)
        self.faults = faults
        self.organizationID = organizationID
        self.batchQueueLimits = batchQueueLimits
    }

    /// The current Claude API line-up (reference of 2026-11-28) at the Build tier.
    public static let `default` = SimulatorConfig()

    /// The model whose id, dated id or alias is `name`.
    public func model(named name: String) -> SimulatedModel? {
        models.first { $0.id == name || $0.datedID == name || $0.aliases.contains(name) }
    }

    /// The processing-queue limit of batch requests in the configured tier, if any.
    public var batchQueueLimit: Int? { batchQueueLimits[tier] }

    /// The limits of `bucket` in the configured tier.
    public func limits(forBucket bucket: String) -> RateLimits {
        tiers[tier]?[bucket] ?? fallbackLimits
    }
}

extension SimulatorConfig: Codable {
    enum CodingKeys: String, CodingKey {
        case models, tiers, tier, fallbackLimits = "fallback_limits", apiKey = "api_key", seed
        case outputTokensMin = "output_tokens_min", outputTokensMax = "output_tokens_max"
        case batchProcessingSeconds = "batch_processing_seconds"
        case firstByteDelayMilliseconds = "first_byte_delay_ms", interDeltaDelayMilliseconds = "inter_delta_delay_ms"
        case tokensPerDelta = "tokens_per_delta", faults, organizationID = "organization_id"
        case batchQueueLimits = "batch_queue_limits"
    }

    /// Decodes a config file; absent keys keep the defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SimulatorConfig.default
        let low = try c.decodeIfPresent(Int.self, forKey: .outputTokensMin) ?? d.outputTokens.lowerBound
        let high = try c.decodeIfPresent(Int.self, forKey: .outputTokensMax) ?? d.outputTokens.upperBound
        guard low >= 1, high >= low else {
            throw DecodingError.dataCorruptedError(
                forKey: .outputTokensMax, in: c, debugDescription: "need 1 <= output_tokens_min <= output_tokens_max")
        }
        self.init(
            models: try c.decodeIfPresent([SimulatedModel].self, forKey: .models) ?? d.models,
            tiers: try c.decodeIfPresent([String: [String: RateLimits]].self, forKey: .tiers) ?? d.tiers,
            tier: try c.decodeIfPresent(String.self, forKey: .tier) ?? d.tier,
            fallbackLimits: try c.decodeIfPresent(RateLimits.self, forKey: .fallbackLimits) ?? d.fallbackLimits,
            apiKey: try c.decodeIfPresent(String.self, forKey: .apiKey),
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
            outputTokens: low...high,
            batchProcessingSeconds: try c.decodeIfPresent(Double.self, forKey: .batchProcessingSeconds)
                ?? d.batchProcessingSeconds,
            firstByteDelayMilliseconds: try c.decodeIfPresent(Int.self, forKey: .firstByteDelayMilliseconds) ?? 0,
            interDeltaDelayMilliseconds: try c.decodeIfPresent(Int.self, forKey: .interDeltaDelayMilliseconds) ?? 0,
            tokensPerDelta: try c.decodeIfPresent(Int.self, forKey: .tokensPerDelta) ?? d.tokensPerDelta,
            faults: try c.decodeIfPresent([String: FaultProgram].self, forKey: .faults) ?? [:],
            organizationID: try c.decodeIfPresent(String.self, forKey: .organizationID) ?? d.organizationID,
            batchQueueLimits: try c.decodeIfPresent([String: Int].self, forKey: .batchQueueLimits)
                ?? d.batchQueueLimits
        )
    }

    /// Encodes the config in the file form `init(from:)` reads.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(models, forKey: .models)
        try c.encode(tiers, forKey: .tiers)
        try c.encode(tier, forKey: .tier)
        try c.encode(fallbackLimits, forKey: .fallbackLimits)
        try c.encodeIfPresent(apiKey, forKey: .apiKey)
        try c.encode(seed, forKey: .seed)
        try c.encode(outputTokens.lowerBound, forKey: .outputTokensMin)
        try c.encode(outputTokens.upperBound, forKey: .outputTokensMax)
        try c.encode(batchProcessingSeconds, forKey: .batchProcessingSeconds)
        try c.encode(firstByteDelayMilliseconds, forKey: .firstByteDelayMilliseconds)
        try c.encode(interDeltaDelayMilliseconds, forKey: .interDeltaDelayMilliseconds)
        try c.encode(tokensPerDelta, forKey: .tokensPerDelta)
        try c.encode(faults, forKey: .faults)
        try c.encode(organizationID, forKey: .organizationID)
        try c.encode(batchQueueLimits, forKey: .batchQueueLimits)
    }

    /// Reads a JSON config file.
    ///
    /// - Throws: the file system's error, or a `DecodingError` naming the bad key.
    public static func load(contentsOf url: URL) throws -> SimulatorConfig {
        try JSONDecoder().decode(SimulatorConfig.self, from: Data(contentsOf: url))
    }
}
