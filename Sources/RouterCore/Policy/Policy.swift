/// A complete, validated routing policy: an immutable snapshot that every decision reads.
///
/// Built by `PolicyYAML` from `policies/*.yaml` (or by tests directly). A running service swaps snapshots
/// atomically on reload; each request keeps the one it started with, and the ledger stores `contentHash`.
public struct Policy: Sendable {
    /// The snapshot's fields behind one reference. A request copies its policy several times on its way (into its
    /// call, its records, the dispatcher), and a copy of the struct retained and released each of the dozens of
    /// references its nested configuration holds (`initializeWithCopy for Policy` and its retains were about 1 % of
    /// the c = 16 profile); now a copy retains one. The fields are immutable (`let`: reading one needs no
    /// exclusivity check), and a setter builds a new storage with that field changed, so `Policy` keeps value
    /// semantics. The accessors are inlinable: a plain `get` called from another module would copy a whole nested
    /// configuration to read one of its fields, and `_read` coroutines allocated their frames (two mallocs per
    /// request, counted).
    @usableFromInline
    struct Fields: Sendable {
        @usableFromInline var models: [ModelSpec]
        @usableFromInline var tierDefaults: [Tier: String]
        @usableFromInline var taskTypes: [String: TaskTypeSpec]
        @usableFromInline var classifier: ClassifierConfig
        @usableFromInline var routing: RoutingConfig
        @usableFromInline var clients: [ClientSpec]
        @usableFromInline var cache: CachePolicy
        @usableFromInline var batches: BatchConfig
        @usableFromInline var limits: LimitsConfig
        @usableFromInline var statistical: StatisticalModel?
        @usableFromInline var routerModel: RouterModel?
        @usableFromInline var contentHash: String
        @usableFromInline var modelIndex: [String: Int]
    }

    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let fields: Fields
        @usableFromInline init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var storage: Storage

    /// A new storage with `change` applied to a copy of the fields: every setter's one path.
    @inlinable mutating func update(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    /// Every model the router may use.
    @inlinable public var models: [ModelSpec] {
        get { storage.fields.models }
        set { update { $0.models = newValue } }
    }
    /// The default model id of each tier.
    @inlinable public var tierDefaults: [Tier: String] {
        get { storage.fields.tierDefaults }
        set { update { $0.tierDefaults = newValue } }
    }
    /// Task types by name.
    @inlinable public var taskTypes: [String: TaskTypeSpec] {
        get { storage.fields.taskTypes }
        set { update { $0.taskTypes = newValue } }
    }
    /// The classifier's rules and thresholds.
    @inlinable public var classifier: ClassifierConfig {
        get { storage.fields.classifier }
        set { update { $0.classifier = newValue } }
    }
    /// The routing rules.
    @inlinable public var routing: RoutingConfig {
        get { storage.fields.routing }
        set { update { $0.routing = newValue } }
    }
    /// Known clients.
    @inlinable public var clients: [ClientSpec] {
        get { storage.fields.clients }
        set { update { $0.clients = newValue } }
    }
    /// Prompt-cache planning: the mode (auto, off, force) with per-client and per-task-type overrides, and how
    /// the planner learns (`cache.yaml`).
    @inlinable public var cache: CachePolicy {
        get { storage.fields.cache }
        set { update { $0.cache = newValue } }
    }
    /// Batch deferral settings.
    @inlinable public var batches: BatchConfig {
        get { storage.fields.batches }
        set { update { $0.batches = newValue } }
    }
    /// Rate limits, queues and retries.
    @inlinable public var limits: LimitsConfig {
        get { storage.fields.limits }
        set { update { $0.limits = newValue } }
    }
    /// The statistical classifier trained from the labelled examples, when there are any.
    @inlinable public var statistical: StatisticalModel? {
        get { storage.fields.statistical }
        set { update { $0.statistical = newValue } }
    }
    /// The router model that judges difficulty (and task type when no rule decides), when `routing.difficultyModel`
    /// is on; `RouterModel.builtin` for a loaded policy.
    @inlinable public var routerModel: RouterModel? {
        get { storage.fields.routerModel }
        set { update { $0.routerModel = newValue } }
    }
    /// Lower-case hex SHA-256 over the policy files (see `PolicyYAML`), recorded with every ledger row.
    @inlinable public var contentHash: String {
        get { storage.fields.contentHash }
        set { update { $0.contentHash = newValue } }
    }

    /// Creates a policy. The inputs are assumed valid (`PolicyYAML` validates them before building one).
    public init(
        models: [ModelSpec], tierDefaults: [Tier: String], taskTypes: [TaskTypeSpec], classifier: ClassifierConfig,
        routing: RoutingConfig, clients: [ClientSpec], cache: CachePolicy = CachePolicy(),
        batches: BatchConfig = BatchConfig(), limits: LimitsConfig = LimitsConfig(buckets: [:]),
        statistical: StatisticalModel? = nil, routerModel: RouterModel? = nil, contentHash: String = ""
    ) {
        var index: [String: Int] = [:]
        for (i, model) in models.enumerated() {
            index[model.id] = index[model.id] ?? i
            for alias in model.aliases { index[alias] = index[alias] ?? i }
        }
        storage = Storage(
            Fields(
                models: models, tierDefaults: tierDefaults,
                taskTypes: Dictionary(taskTypes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                classifier: classifier, routing: routing, clients: clients, cache: cache, batches: batches,
                limits: limits, statistical: statistical, routerModel: routerModel, contentHash: contentHash,
                modelIndex: index))
    }

    /// The model with this id or alias, or nil.
    public func model(named name: String) -> ModelSpec? {
        storage.fields.modelIndex[name].map { storage.fields.models[$0] }
    }

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
