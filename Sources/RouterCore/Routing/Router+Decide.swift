extension Router {
    /// Plans prompt-cache breakpoints: the request's features on the routed model, the model's profile, the cache
    /// policy and the clock reading → a plan. The service passes its `CachePlanner` (shared statistics behind a
    /// lock); `explain` a fresh one.
    public typealias CachePlanning = (
        _ features: CacheRequestFeatures, _ profile: CacheModelProfile, _ policy: CachePolicy, _ nowMillis: Int64
    ) -> CachePlan

    /// What a client has spent in the current day and month: with a task type, on that task type; with nil, in all.
    public typealias SpendReading = (_ taskType: String?) -> (day: Money, month: Money)

    /// The decision for one request: the one function every caller uses (`POST /v1/messages`, `POST /v1/tasks`,
    /// `POST /v1/route`, `policy explain`), so they all decide, and show, the same thing.
    ///
    /// Classifies and routes (`route`), plans the cache on the routed model, and decides whether a task is
    /// deferred (`Deferral.decide`). Pure: what is shared and mutable (the cache statistics, the pacer's headroom)
    /// comes in through `planCache` and `rateLimited`, which the service backs with its locked state.
    /// - Parameters:
    ///   - spend: the client's running spend (asked for the client, then for the classified task type).
    ///   - nowMillis: the clock reading the request is decided at (budget periods, prices, deadlines, cache ages).
    ///   - conversationTier: the tier earlier turns of this conversation went to (see `ConversationTiers`).
    ///   - terms: the priority, deadline, and whether the request may be deferred at all.
    ///   - rateLimited: whether the routed model has no headroom left for background work; asked only for a
    ///     background task that nothing else defers or keeps.
    ///   - planCache: plans the breakpoints for the routed model.
    /// - Throws: `RoutingError` as `route` does.
    public static func decide(
        _ request: DecisionRequest, client: ClientSpec?, policy: Policy, spend: SpendReading, nowMillis: Int64,
        conversationTier: Tier? = nil, terms: RunTerms, rateLimited: (Decision) -> Bool = { _ in false },
        planCache: CachePlanning
    ) throws(RoutingError) -> Decision {
        let spent = spend(nil)
        let budget = BudgetCheck.evaluate(
            client?.budget, spentToday: spent.day, spentThisMonth: spent.month, nowMillis: nowMillis)
        var decision = try route(
            request.routing, client: client, policy: policy, budget: budget,
            taskTypeBudget: { taskType in
                BudgetCheck.evaluate(taskType: taskType, of: client?.budget, nowMillis: nowMillis) { spend($0) }
            }, day: Day(epochMillis: nowMillis), conversationTier: conversationTier)
        decision.client = client?.name
        decision.priority = terms.priority
        var plan: CachePlan
        if let model = policy.model(named: decision.model) {
            let profile = CacheModelProfile(
                model: model.id, minCacheableTokens: Int(model.minCacheableTokens),
                inputPerMTok: Money(nanoUSD: model.price(on: Day(epochMillis: nowMillis)).input.microUSD * 1000))
            plan = planCache(request.cacheFeatures(for: decision), profile, policy.cache, nowMillis)
        } else {
            plan = .none(mode: policy.cache.mode, reason: "model '\(decision.model)' is not in the policy")
        }
        plan.clientBreakpoints = request.clientBreakpoints
        decision.cache = plan
        if let runsNow = terms.runsNow {
            decision.deferral = Deferral(reason: nil, note: runsNow)
        } else {
            decision.deferral = Deferral.decide(
                streamed: request.streamed, decision: decision, config: policy.batches, priority: terms.priority,
                deadlineMillis: terms.deadlineMillis, nowMillis: nowMillis,
                rateLimited: terms.priority == .background && rateLimited(decision))
        }
        return decision
    }

    /// The decision `claude-router policy explain` shows: `decide` as a fresh service with a task queue would make
    /// it for a request it sees first (a cache planner that has observed nothing, no earlier turn of the
    /// conversation, the model's rate limit not used up), at the client's default priority unless `priority`
    /// says otherwise.
    public static func explain(
        _ request: DecisionRequest, client: ClientSpec?, policy: Policy, spend: SpendReading, nowMillis: Int64,
        priority: AdmissionQueue.Priority? = nil, deadlineMillis: Int64? = nil
    ) throws(RoutingError) -> Decision {
        let planner = CachePlanner(policy: policy.cache)
        let runPriority: AdmissionQueue.Priority =
            priority ?? (client?.defaultPriority == .background ? .background : .interactive)
        let terms = RunTerms(priority: runPriority, deadlineMillis: deadlineMillis)
        let plan: CachePlanning = { features, profile, cachePolicy, now in
            planner.plan(features, profile: profile, policy: cachePolicy, nowMillis: now)
        }
        let decision: Decision = try decide(
            request, client: client, policy: policy, spend: spend, nowMillis: nowMillis, conversationTier: nil,
            terms: terms, rateLimited: { _ in false }, planCache: plan)
        return decision
    }
}
