extension SimulatorConfig {
    /// The models of the reference (claude-api.md §10, 2026-11-28): ids, limits, minimum cache lengths,
    /// tool overheads and rate-limit buckets. Release dates marked "approx" in docs/simulator.md are estimates.
    /// Manual thinking (`enabled`) is refused on Opus 4.7/4.8, the 5 family and Fable (§10); Haiku 5.5 is not
    /// documented and keeps accepting it.
    public static let defaultModels: [SimulatedModel] = [
        FiveLine.fableOrOpus.model("claude-fable-5-2", "Claude Fable 5.2", released: "2026-11-09", bucket: "fable-5"),
        FiveLine.haiku.model("claude-haiku-5-5", "Claude Haiku 5.5", released: "2026-10-07", bucket: "haiku-5"),
        FiveLine.sonnet.model("claude-sonnet-5-5", "Claude Sonnet 5.5", released: "2026-09-28", bucket: "sonnet-5"),
        FiveLine.fableOrOpus.model("claude-opus-5-5", "Claude Opus 5.5", released: "2026-09-15", bucket: "opus-5"),
        FiveLine.fableOrOpus.model("claude-fable-5-1", "Claude Fable 5.1", released: "2026-09-01", bucket: "fable-5"),
        FiveLine.fableOrOpus.model("claude-opus-5", "Claude Opus 5", released: "2026-07-24", bucket: "opus-5"),
        FiveLine.sonnet.model("claude-sonnet-5", "Claude Sonnet 5", released: "2026-06-30", bucket: "sonnet-5"),
        FiveLine.fableOrOpus.model("claude-fable-5", "Claude Fable 5", released: "2026-06-09", bucket: "fable-5"),
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

    /// What the models of one line of the 5 family share (§10): every one has a 1M context window and 128k output and
    /// refuses prefill; the line sets the minimum cache length, the tool overheads and what else it refuses.
    private struct FiveLine {
        var minCacheableTokens: Int
        var toolOverheadAuto: Int
        var toolOverheadAny: Int
        var allowsSamplingParameters: Bool
        var allowsManualThinking: Bool

        /// Fable and Opus 5.x: adaptive thinking only, no sampling parameters.
        static let fableOrOpus = FiveLine(
            minCacheableTokens: 512, toolOverheadAuto: 286, toolOverheadAny: 406, allowsSamplingParameters: false,
            allowsManualThinking: false)
        /// Sonnet 5.x: adaptive thinking only.
        static let sonnet = FiveLine(
            minCacheableTokens: 1_024, toolOverheadAuto: 354, toolOverheadAny: 474, allowsSamplingParameters: true,
            allowsManualThinking: false)
        /// Haiku 5.5: as Sonnet, but still accepts manual thinking (not documented otherwise).
        static let haiku = FiveLine(
            minCacheableTokens: 1_024, toolOverheadAuto: 354, toolOverheadAny: 474, allowsSamplingParameters: true,
            allowsManualThinking: true)

        /// A model of this line released at midnight UTC on `day` (YYYY-MM-DD).
        func model(_ id: String, _ displayName: String, released day: String, bucket: String) -> SimulatedModel {
            SimulatedModel(
                id: id, displayName: displayName, createdAt: day + "T00:00:00Z", maxOutputTokens: 128_000,
                contextWindow: 1_000_000, minCacheableTokens: minCacheableTokens, rateLimitBucket: bucket,
                toolOverheadAuto: toolOverheadAuto, toolOverheadAny: toolOverheadAny, allowsPrefill: false,
                allowsSamplingParameters: allowsSamplingParameters, allowsManualThinking: allowsManualThinking)
        }
    }

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
