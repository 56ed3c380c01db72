extension SimulatorConfig {
    /// The models of the reference (claude-api.md §10, 2026-11-28): ids, limits, minimum cache lengths,
    /// tool overheads and rate-limit buckets. Release dates marked "approx" in docs/simulator.md are estimates.
    /// Manual thinking (`enabled`) is refused on Opus 4.7/4.8, the 5 family and Fable (§10); Haiku 5.5 is not
    /// documented and keeps accepting it.
    public static let defaultModels: [SimulatedModel] = [
        SimulatedModel(
            id: "claude-fable-5-2", displayName: "Claude Fable 5.2", createdAt: "2026-11-09T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 512, rateLimitBucket: "fable-5",
            toolOverheadAuto: 286, toolOverheadAny: 406, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-haiku-5-5", displayName: "Claude Haiku 5.5", createdAt: "2026-10-07T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 1_024, rateLimitBucket: "haiku-5",
            toolOverheadAuto: 354, toolOverheadAny: 474, allowsPrefill: false),
        SimulatedModel(
            id: "claude-sonnet-5-5", displayName: "Claude Sonnet 5.5", createdAt: "2026-09-28T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 1_024, rateLimitBucket: "sonnet-5",
            toolOverheadAuto: 354, toolOverheadAny: 474, allowsPrefill: false, allowsManualThinking: false),
        SimulatedModel(
            id: "claude-opus-5-5", displayName: "Claude Opus 5.5", createdAt: "2026-09-15T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 512, rateLimitBucket: "opus-5",
            toolOverheadAuto: 286, toolOverheadAny: 406, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-fable-5-1", displayName: "Claude Fable 5.1", createdAt: "2026-09-01T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 512, rateLimitBucket: "fable-5",
            toolOverheadAuto: 286, toolOverheadAny: 406, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-opus-5", displayName: "Claude Opus 5", createdAt: "2026-07-24T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 512, rateLimitBucket: "opus-5",
            toolOverheadAuto: 286, toolOverheadAny: 406, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-sonnet-5", displayName: "Claude Sonnet 5", createdAt: "2026-06-30T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 1_024, rateLimitBucket: "sonnet-5",
            toolOverheadAuto: 354, toolOverheadAny: 474, allowsPrefill: false, allowsManualThinking: false),
        SimulatedModel(
            id: "claude-fable-5", displayName: "Claude Fable 5", createdAt: "2026-06-09T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 512, rateLimitBucket: "fable-5",
            toolOverheadAuto: 286, toolOverheadAny: 406, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-opus-4-8", displayName: "Claude Opus 4.8", createdAt: "2026-05-28T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 1_024, rateLimitBucket: "opus-4",
            toolOverheadAuto: 290, toolOverheadAny: 410, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-opus-4-7", displayName: "Claude Opus 4.7", createdAt: "2026-04-16T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 2_048, rateLimitBucket: "opus-4",
            toolOverheadAuto: 675, toolOverheadAny: 804, allowsPrefill: false, allowsSamplingParameters: false,
            allowsManualThinking: false),
        SimulatedModel(
            id: "claude-sonnet-4-6", displayName: "Claude Sonnet 4.6", createdAt: "2026-02-17T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 1_024, rateLimitBucket: "sonnet-4",
            toolOverheadAuto: 497, toolOverheadAny: 589, allowsPrefill: false),
        SimulatedModel(
            id: "claude-opus-4-6", displayName: "Claude Opus 4.6", createdAt: "2026-02-05T00:00:00Z",
            maxOutputTokens: 128_000, contextWindow: 1_000_000, minCacheableTokens: 4_096, rateLimitBucket: "opus-4",
            toolOverheadAuto: 497, toolOverheadAny: 589, allowsPrefill: false),
        SimulatedModel(
            id: "claude-opus-4-5", datedID: "claude-opus-4-5-20251101", displayName: "Claude Opus 4.5",
            createdAt: "2025-11-24T00:00:00Z", maxOutputTokens: 64_000, contextWindow: 200_000,
            minCacheableTokens: 4_096, rateLimitBucket: "opus-4"),
        SimulatedModel(
            id: "claude-haiku-4-5", datedID: "claude-haiku-4-5-20251001", displayName: "Claude Haiku 4.5",
            createdAt: "2025-10-15T00:00:00Z", maxOutputTokens: 64_000, contextWindow: 200_000,
            minCacheableTokens: 4_096, rateLimitBucket: "haiku-4-5"),
        SimulatedModel(
            id: "claude-sonnet-4-5", datedID: "claude-sonnet-4-5-20250929", displayName: "Claude Sonnet 4.5",
            createdAt: "2025-09-29T00:00:00Z", maxOutputTokens: 64_000, contextWindow: 200_000,
            minCacheableTokens: 1_024, rateLimitBucket: "sonnet-4"),
    ]

    /// Batch requests allowed in the processing queue per tier (reference §8, 2026-08-21).
    public static let defaultBatchQueueLimits: [String: Int] = ["start": 200_000, "build": 300_000, "scale": 500_000]

    /// The rate-limit bucket of `POST /v1/messages/count_tokens` (its own RPM, separate from Messages).
    public static let countTokensBucket = "count_tokens"
    /// The rate-limit bucket of `POST /v1/messages/batches` (batch creation RPM).
    public static let batchCreationBucket = "message_batches"

    /// The Start, Build and Scale tiers of the reference (§11, 2026-08-21); buckets the reference does not list
    /// (Haiku 5, the 5.x releases after August) take the Opus 5 row. `unlimited` (a billion of everything per
    /// minute) is for benchmarks, where the router's pacing, not the simulator's limits, should be measured.
    public static let defaultTiers: [String: [String: RateLimits]] = {
        func row(_ rpm: Int, _ itpm: Int, _ otpm: Int) -> RateLimits {
            RateLimits(requestsPerMinute: rpm, inputTokensPerMinute: itpm, outputTokensPerMinute: otpm)
        }
        let start = row(1_000, 2_000_000, 400_000)
        let build = row(5_000, 5_000_000, 1_000_000)
        let scale = row(10_000, 10_000_000, 2_000_000)
        // count_tokens and batch creation have their own RPM (§9, §8); they carry no token limits.
        func requestsOnly(_ rpm: Int) -> RateLimits { row(rpm, 1_000_000_000, 1_000_000_000) }
        func tier(
            _ common: RateLimits, fable: RateLimits, countTokens: Int, batches: Int
        ) -> [String: RateLimits] {
            [
                "fable-5": fable, "opus-5": common, "opus-4": common, "sonnet-5": common, "sonnet-4": common,
                "haiku-4-5": common, "haiku-5": common,
                SimulatorConfig.countTokensBucket: requestsOnly(countTokens),
                SimulatorConfig.batchCreationBucket: requestsOnly(batches),
            ]
        }
        let unlimited = row(1_000_000_000, 1_000_000_000, 1_000_000_000)
        return [
            "start": tier(start, fable: row(1_000, 500_000, 100_000), countTokens: 2_000, batches: 1_000),
            "build": tier(build, fable: row(2_000, 1_500_000, 300_000), countTokens: 4_000, batches: 2_000),
            "scale": tier(scale, fable: row(4_000, 4_000_000, 800_000), countTokens: 8_000, batches: 4_000),
            "unlimited": tier(
                unlimited, fable: unlimited, countTokens: 1_000_000_000, batches: 1_000_000_000),
        ]
    }()
}
