/// One row of the usage ledger: what one request, or one upstream attempt of it, did and cost.
///
/// The service fills it in at the edges and hands it to a `UsageRecorder`; the ledger stores every field in its
/// own column. A request that needed retries or a fallback produces one `.request` row and one `.attempt` row per
/// upstream call, linked by `requestID`.
public struct UsageRecord: Sendable, Hashable {
    /// Whether the row sums up a whole request or records one upstream attempt of it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case request, attempt }
    /// Whose `cache_control` breakpoints the request carried upstream.
    public enum CacheOwner: String, Sendable, Hashable, Codable, CaseIterable {
        /// No breakpoints.
        case none
        /// Only the router's (the cache planner placed them).
        case router
        /// Only the client's own (the application would have cached without the router).
        case client
        /// The client's and the router's.
        case both

        /// Whether the client placed breakpoints itself (its cache use is then the application's, not the router's).
        public var clientPlaced: Bool { self == .client || self == .both }
    }
    /// How the call reached the API.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable { case sync, stream, batch }

    public var kind: Kind
    /// Milliseconds since the Unix epoch when the request arrived.
    public var timestampMillis: Int64
    /// The router's id for the request (`x-router-request-id`).
    public var requestID: String
    /// 1-based attempt number for `.attempt` rows; 0 on `.request` rows.
    public var attempt: Int
    /// The API's `request-id` of the (last) upstream response, when there was one.
    public var upstreamRequestID: String?
    /// The client's name from the policy (never its key).
    public var client: String
    public var taskType: String
    /// Classifier confidence in 0…1, kept in thousandths for exact storage.
    public var confidenceMillis: Int
    /// Which rule or signal decided the task type, in words.
    public var classifierReason: String
    /// The model the caller named (`auto`, a tier, or an id).
    public var modelRequested: String
    /// The model id that served the call.
    public var modelUsed: String
    /// `haiku`, `sonnet` or `opus`.
    public var tier: String
    public var mode: Mode
    /// HTTP status returned to the client (request rows) or by the upstream (attempt rows); 0 when none.
    public var status: Int
    /// The API error type (`overloaded_error`, …) or nil on success.
    public var errorType: String?
    public var usage: TokenUsage
    /// True when `usage` is the router's estimate (for example a stream cut before its final usage arrived).
    public var usageEstimated: Bool
    /// What the call cost at the price in force.
    public var cost: Money
    /// What the same work would have cost without the router: the caller's model (or the policy's baseline),
    /// no caching, no batching.
    public var baselineCost: Money
    /// The part of `baselineCost - cost` each lever saved: model choice, prompt caching, batch pricing.
    public var savedByRouting: Money
    public var savedByCaching: Money
    public var savedByBatching: Money
    /// What the client's own cache breakpoints saved; not part of `baselineCost - cost` (see `Pricing.Breakdown`).
    public var savedByClientCache: Money
    /// The web-search fee included in `cost` (`usage.webSearchRequests` at the dated fee).
    public var webSearchCost: Money
    /// The call's `inference_geo` as billed (`us`, `global`), nil when the request named none.
    public var inferenceGeo: String?
    /// Whose cache breakpoints the request carried.
    public var cacheBy: CacheOwner
    /// Identifies the dated price that priced the row, e.g. `claude-sonnet-4-6@2026-02-17`.
    public var priceVersion: String
    /// The content hash of the policy snapshot the request ran under.
    public var policyHash: String
    public var latencyMillis: Int
    public var upstreamLatencyMillis: Int
    public var queueWaitMillis: Int
    public var retries: Int
    /// The cache plan in a short form (`none`, `system:5m`, `tools:1h,messages:5m`, …).
    public var cachePlan: String
    /// The deferral decision in a short form (`sync`, `deferred:batch`, …).
    public var deferral: String
    /// The router model's difficulty (`simple`, `standard`, `hard`), or empty when none was judged.
    public var difficulty: String = ""

    public init(
        kind: Kind = .request, timestampMillis: Int64, requestID: String, attempt: Int = 0,
        upstreamRequestID: String? = nil, client: String, taskType: String, confidenceMillis: Int = 1000,
        classifierReason: String = "", modelRequested: String, modelUsed: String, tier: String,
        mode: Mode = .sync, status: Int, errorType: String? = nil, usage: TokenUsage = .zero,
        usageEstimated: Bool = false, cost: Money = .zero, baselineCost: Money = .zero,
        savedByRouting: Money = .zero, savedByCaching: Money = .zero, savedByBatching: Money = .zero,
        priceVersion: String = "", policyHash: String = "", latencyMillis: Int = 0, upstreamLatencyMillis: Int = 0,
        queueWaitMillis: Int = 0, retries: Int = 0, cachePlan: String = "none", deferral: String = "sync",
        savedByClientCache: Money = .zero, webSearchCost: Money = .zero, inferenceGeo: String? = nil,
        cacheBy: CacheOwner = .none
    ) {
        self.kind = kind
        self.timestampMillis = timestampMillis
        self.requestID = requestID
        self.attempt = attempt
        self.upstreamRequestID = upstreamRequestID
        self.client = client
        self.taskType = taskType
        self.confidenceMillis = confidenceMillis
        self.classifierReason = classifierReason
        self.modelRequested = modelRequested
        self.modelUsed = modelUsed
        self.tier = tier
        self.mode = mode
        self.status = status
        self.errorType = errorType
        self.usage = usage
        self.usageEstimated = usageEstimated
        self.cost = cost
        self.baselineCost = baselineCost
        self.savedByRouting = savedByRouting
        self.savedByCaching = savedByCaching
        self.savedByBatching = savedByBatching
        self.priceVersion = priceVersion
        self.policyHash = policyHash
        self.latencyMillis = latencyMillis
        self.upstreamLatencyMillis = upstreamLatencyMillis
        self.queueWaitMillis = queueWaitMillis
        self.retries = retries
        self.cachePlan = cachePlan
        self.deferral = deferral
        self.savedByClientCache = savedByClientCache
        self.webSearchCost = webSearchCost
        self.inferenceGeo = inferenceGeo
        self.cacheBy = cacheBy
    }
}

/// Where the service hands every request's usage. The ledger makes it durable; tests use an in-memory fake.
public protocol UsageRecorder: Sendable {
    /// Queues a row for recording. Suspends (backpressure) when the recorder's queue is full; never drops a row.
    func record(_ row: UsageRecord) async
}
