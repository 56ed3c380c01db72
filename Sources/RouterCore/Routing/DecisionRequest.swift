public import ClaudeAPI

/// One request as the decision reads it, built once from its body: the routing features, the prefix hashes (for
/// the cache planner and the conversation memory) and the cache breakpoints the client placed itself.
public struct DecisionRequest: Sendable {
    /// What routing reads: size, tools, images, text features, the requested model, the task-type hint.
    public var routing: RoutingFeatures
    /// The request's cache boundaries and prefix hashes, model and task type not yet set.
    public var prefixes: CacheRequestFeatures
    /// The client's own `cache_control` markers (the top-level one included), in request order.
    public var clientBreakpoints: [CacheBreakpoint]
    /// Whether the caller asked for a stream (a streamed request is never deferred).
    public var streamed: Bool

    /// Reads a Messages request body.
    /// - Parameters:
    ///   - client: the client's name (`""` for none), for per-client cache overrides and the conversation memory.
    ///   - taskTypeHint: the caller's `task_type` or `x-router-task-type`, if any.
    ///   - metadata: a task's `metadata`, which classifier rules may match.
    public init(body: JSONObject, client: String, taskTypeHint: String? = nil, metadata: [String: String] = [:]) {
        routing = RoutingFeatures(request: body, client: client, taskTypeHint: taskTypeHint, metadata: metadata)
        prefixes = CacheRequestFeatures(request: body, client: client, estimator: { Int(TokenEstimator.block($0)) })
        let request = MessagesRequest(raw: body)
        clientBreakpoints = request.cacheBreakpoints
        streamed = request.stream
    }

    /// The prefixes as the cache planner sees them for `decision`: on its model, under its task type.
    public func cacheFeatures(for decision: Decision) -> CacheRequestFeatures {
        var features = prefixes
        features.model = decision.model
        features.taskType = decision.classification.taskType
        return features
    }
}

/// How the caller asked a request to run: what the deferral reads besides the decision.
public struct RunTerms: Sendable, Hashable {
    /// The request's priority (the caller's, a hint header's, or the client's default).
    public var priority: AdmissionQueue.Priority
    /// The task's deadline, nil when it has none.
    public var deadlineMillis: Int64?
    /// Why the request runs now whatever the policy says (`POST /v1/messages`, a service without a task queue),
    /// or nil when it may be deferred.
    public var runsNow: String?

    /// Creates terms.
    public init(priority: AdmissionQueue.Priority, deadlineMillis: Int64? = nil, runsNow: String? = nil) {
        self.priority = priority
        self.deadlineMillis = deadlineMillis
        self.runsNow = runsNow
    }
}
