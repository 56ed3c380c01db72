/// A complete, validated routing policy: an immutable snapshot that every decision reads.
///
/// Built by `PolicyYAML` from `policies/*.yaml` (or by tests directly). A running service swaps snapshots
/// atomically on reload; each request keeps the one it started with, and the ledger stores `contentHash`.
public struct Policy: Sendable {
    /// Every model the router may use.
    public var models: [ModelSpec]
    /// The default model id of each tier.
    public var tierDefaults: [Tier: String]
    /// Task types by name.
    public var taskTypes: [String: TaskTypeSpec]
    /// The classifier's rules and thresholds.
    public var classifier: ClassifierConfig
    /// The routing rules.
    public var routing: RoutingConfig
    /// Known clients.
    public var clients: [ClientSpec]
    /// Prompt-cache planning: the mode (auto, off, force) with per-client and per-task-type overrides, and how
    /// the planner learns (`cache.yaml`).
    public var cache: CachePolicy
    /// Batch deferral settings.
    public var batches: BatchConfig
    /// Rate limits, queues and retries.
    public var limits: LimitsConfig
    /// The statistical classifier trained from the labelled examples, when there are any.
    public var statistical: StatisticalModel?
    /// The router model that judges difficulty (and task type when no rule decides), when `routing.difficultyModel`
    /// is on; `RouterModel.builtin` for a loaded policy.
    public var routerModel: RouterModel?
    /// Lower-case hex SHA-256 over the policy files (see `PolicyYAML`), recorded with every ledger row.
    public var contentHash: String

    private var modelIndex: [String: Int]

    /// Creates a policy. The inputs are assumed valid (`PolicyYAML` validates them before building one).
    public init(
        models: [ModelSpec], tierDefaults: [Tier: String], taskTypes: [TaskTypeSpec], classifier: ClassifierConfig,
        routing: RoutingConfig, clients: [ClientSpec], cache: CachePolicy = CachePolicy(),
        batches: BatchConfig = BatchConfig(), limits: LimitsConfig = LimitsConfig(buckets: [:]),
        statistical: StatisticalModel? = nil, routerModel: RouterModel? = nil, contentHash: String = ""
    ) {
        self.models = models
        self.tierDefaults = tierDefaults
        self.taskTypes = Dictionary(taskTypes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.classifier = classifier
        self.routing = routing
        self.clients = clients
        self.cache = cache
        self.batches = batches
        self.limits = limits
        self.statistical = statistical
        self.routerModel = routerModel
        self.contentHash = contentHash
        var index: [String: Int] = [:]
        for (i, model) in models.enumerated() {
            index[model.id] = index[model.id] ?? i
            for alias in model.aliases { index[alias] = index[alias] ?? i }
        }
        self.modelIndex = index
    }

    /// The model with this id or alias, or nil.
    public func model(named name: String) -> ModelSpec? { modelIndex[name].map { models[$0] } }

    /// The default model of `tier`.
    public func defaultModel(of tier: Tier) -> ModelSpec? { tierDefaults[tier].flatMap(model(named:)) }

    /// The client with this name, or nil.
    public func client(named name: String) -> ClientSpec? { clients.first { $0.name == name } }

    /// The client whose key hashes to `keySHA256` (lower-case hex), or nil.
    public func client(keySHA256: String) -> ClientSpec? {
        let wanted = keySHA256.lowercased()
        return clients.first { $0.keySHA256 == wanted }
    }

    /// The client whose API key is `key`, or nil. Hashes the key; the key itself is not kept.
    public func client(apiKey key: String) -> ClientSpec? { client(keySHA256: SHA256.hex(Array(key.utf8))) }
}
