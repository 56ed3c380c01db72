import ClaudeAPI
import RouterCore

/// One routing decision as the service at 9eafd4e (before difficulty routing) made it per request
/// (`RouterService.prepare` and `planCache` between decoding the body and sending it): `RoutingFeatures`, the
/// client's budget, `Router.route` (classification, model), then `CacheRequestFeatures` and the cache plan.
/// The spend is zero and the cache planner has observed nothing, as in Benchmarks/RouteBench/RouteCall.swift.
struct RouteCall {
    let policy: Policy
    let client: ClientSpec?
    let planner: CachePlanner

    init(policy: Policy) {
        self.policy = policy
        self.client = policy.clients.first
        self.planner = CachePlanner(policy: policy.cache)
    }

    /// Decides `request` and returns the routed model's id.
    mutating func callAsFunction(_ request: MessagesRequest, nowMillis: Int64) -> String {
        let name = client?.name ?? ""
        let features = RoutingFeatures(request: request.raw, client: name)
        let budget = BudgetCheck.evaluate(
            client?.budget, spentToday: .zero, spentThisMonth: .zero, nowMillis: nowMillis)
        let client = self.client
        guard
            let decision = try? Router.route(
                features, client: client, policy: policy, budget: budget,
                taskTypeBudget: { taskType in
                    BudgetCheck.evaluate(taskType: taskType, of: client?.budget, nowMillis: nowMillis) { _ in
                        (Money.zero, Money.zero)
                    }
                }, day: Day(epochMillis: nowMillis))
        else { return "error" }
        guard let model = policy.model(named: decision.model) else { return decision.model }
        let cacheFeatures = CacheRequestFeatures(
            request: request.raw, client: name, taskType: decision.classification.taskType,
            estimator: { Int(TokenEstimator.block($0)) })
        let profile = CacheModelProfile(
            model: model.id, minCacheableTokens: Int(model.minCacheableTokens),
            inputPerMTok: Money(nanoUSD: model.price(on: Day(epochMillis: nowMillis)).input.microUSD * 1000))
        let plan = planner.plan(cacheFeatures, profile: profile, policy: policy.cache, nowMillis: nowMillis)
        return plan.breakpoints.isEmpty ? decision.model : decision.model + "+cache"
    }
}
