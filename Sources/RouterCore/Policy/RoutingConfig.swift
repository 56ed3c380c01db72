/// How decisions turn a task type into a model: the caller's `model`, floors, fallbacks and the savings baseline.
public struct RoutingConfig: Sendable, Hashable {
    /// How far a caller's explicit `model` (a tier, alias or id; never `auto`) is honoured.
    public enum ExplicitModel: String, Sendable, Hashable, CaseIterable {
        /// Always use the model the caller named.
        case always
        /// Use it when the client's allowed models include it; otherwise route.
        case allowed
        /// Ignore it and route (it still sets the savings baseline).
        case never
    }

    /// What happens to a `model` that is neither a tier, nor an id or alias of the policy.
    public enum UnknownModels: String, Sendable, Hashable, CaseIterable {
        /// Refuse with 404 `not_found_error`, listing the models served.
        case refuse
        /// Serve it with the default model of the tier its name suggests (`opus`, `sonnet`, `haiku` in the id),
        /// or route as for `auto` when the name suggests none.
        case nearestTier = "nearest_tier"
    }

    /// A minimum tier for requests that show some trait (large input, tools, images, many turns).
    public struct Floor: Sendable, Hashable {
        /// The floor's name, quoted in decisions.
        public var name: String
        /// Applies when the estimated input is at least this many tokens.
        public var minInputTokens: Int64?
        /// Applies when tools are present.
        public var tools: Bool?
        /// Applies when images are present.
        public var images: Bool?
        /// Applies when documents are present.
        public var documents: Bool?
        /// Applies when the request has at least this many messages.
        public var minTurns: Int?
        /// The tier the request gets at least.
        public var atLeast: Tier

        /// Creates a floor; a floor with no condition applies to every request.
        public init(
            name: String, minInputTokens: Int64? = nil, tools: Bool? = nil, images: Bool? = nil,
            documents: Bool? = nil, minTurns: Int? = nil, atLeast: Tier
        ) {
            self.name = name
            self.minInputTokens = minInputTokens
            self.tools = tools
            self.images = images
            self.documents = documents
            self.minTurns = minTurns
            self.atLeast = atLeast
        }
    }

    /// Where a failed call may go next.
    public struct Fallback: Sendable, Hashable {
        /// The tier whose models fall back.
        public var from: Tier
        /// The tier to try next.
        public var to: Tier
        /// The API error types that trigger it (`overloaded_error`, …).
        public var on: [String]

        /// Creates a fallback.
        public init(from: Tier, to: Tier, on: [String]) {
            self.from = from
            self.to = to
            self.on = on
        }
    }

    /// The explicit-model rule.
    public var explicitModel: ExplicitModel
    /// Floors, all applied (the highest wins).
    public var floors: [Floor]
    /// The tier whose default model stands for "no router" when the caller named no model (`auto`), unless
    /// `baselineModel` is set.
    public var baselineTier: Tier
    /// The model that stands for "no router" when the caller named no model; wins over `baselineTier`.
    public var baselineModel: String?
    /// What happens to a model id outside the policy.
    public var unknownModels: UnknownModels
    /// Fallbacks by tier.
    public var fallbacks: [Fallback]
    /// Whether the router model judges each request's difficulty (`difficulty_model: builtin`); when off, every
    /// task type uses its `standard` tier.
    public var difficultyModel: Bool = true
    /// The cost/quality knob (`quality_bias`, 0…1): a request goes up a difficulty when the model gives the harder
    /// ones together at least `1 - qualityBias` (see `RouterModelPrediction.difficulty(qualityBias:)`).
    public var qualityBias: Double = RoutingConfig.QualityPreset.balanced.bias
    /// How many conversations the service remembers to keep their tier (`sticky_conversations`; 0: off).
    public var stickyConversations: Int = 10_000

    /// Named values of `quality_bias`.
    public enum QualityPreset: String, Sendable, Hashable, CaseIterable {
        /// Cheapest: goes up only on strong evidence.
        case economy
        /// The shipped default.
        case balanced
        /// Goes up on weak evidence: fewer under-served requests, higher cost.
        case quality

        /// The preset's `quality_bias`.
        public var bias: Double {
            switch self {
            case .economy: 0.35
            case .balanced: 0.5
            case .quality: 0.7
            }
        }
    }

    /// Creates a routing configuration.
    public init(
        explicitModel: ExplicitModel = .allowed, floors: [Floor] = [], baselineTier: Tier = .sonnet,
        fallbacks: [Fallback] = [], baselineModel: String? = nil, unknownModels: UnknownModels = .refuse
    ) {
        self.explicitModel = explicitModel
        self.floors = floors
        self.baselineTier = baselineTier
        self.baselineModel = baselineModel
        self.unknownModels = unknownModels
        self.fallbacks = fallbacks
    }
}
