import ClaudeAPI
import HTTPTypes
import RouterCore
import Tracing

/// Turns a request into a `RoutedCall`: decodes and checks the body, decides it (`Router.decide`: classification,
/// model, cache plan, deferral), applies the cache plan and reserves its estimated cost against the client's budget.
/// No I/O beyond the spend look-up and the budget admission.
struct CallPreparer: Sendable {
    let clock: any RouterClock
    let spend: any SpendSource
    let holds: BudgetHolds
    /// Learns prefix reuse and plans `cache_control` breakpoints; one per process (its table is shared).
    let cachePlanner: CachePlanner
    /// The tier each conversation has used, so later turns never move down (`sticky_conversations`).
    let conversations: ConversationTierStore
    /// Read (never waited on) for a background task's `rate_limited` deferral.
    let pacing: any Pacing
    let tracer: RouterTracer?
    /// Whether the service has a task queue: without one, tasks run now.
    let defersTasks: Bool
    /// Pass the simulator's `x-sim-*` steering headers upstream (the upstream is the simulator).
    let forwardSimulatorHeaders: Bool

    /// Decodes, checks and decides a Messages request of an authenticated `client` under `policy`
    /// (`Router.decide`: classification, model, cache plan, deferral), applies the cache plan, and (when `admit`)
    /// reserves its estimated cost against the client's budget under `requestID`: the caller releases it
    /// (`holds.release`) once the call's row is recorded, or keeps it for a deferred task.
    ///
    /// `admit: false` (`POST /v1/route`) is a dry run: nothing is reserved, and neither the cache planner nor the
    /// conversation memory learns of a request that is not sent, so a later identical request is decided alike.
    ///
    /// - Parameter task: the request is a task (`POST /v1/tasks`, `/v1/route`) and may be deferred; a Messages
    ///   call runs now.
    /// - Throws: 400 naming the field for a body the API would refuse, including a `max_tokens` above the routed
    ///   model's `max_output_tokens` (models.yaml): such a request can never succeed, so it is not a 429 to retry;
    ///   402 when spend + reserved + this estimate would pass a hard limit; and the routing errors.
    func prepare(
        body: [UInt8], headers: HTTPFields, client: ClientSpec, policy: Policy, requestID: String,
        arrival: ContinuousClock.Instant, taskTypeHint: String? = nil, metadata: [String: String] = [:],
        priority: AdmissionQueue.Priority? = nil, deadlineMillis: Int64? = nil, admit: Bool = true, task: Bool = false
    ) async throws(RouterHTTPError) -> RoutedCall {
        var request: MessagesRequest
        do {
            request = try MessagesRequest(bytes: body)
        } catch {
            throw RouterHTTPError.invalid(error.description)
        }
        // clients.yaml's log_prompts: the only way prompt text reaches a log line.
        if client.logPrompts { AccessLogEntry.current?.takePrompt(request.lastUserText) }
        let hint = taskTypeHint ?? headers.combined(.taskTypeHint)
        let input = DecisionRequest(body: request.raw, client: client.name, taskTypeHint: hint, metadata: metadata)
        let now = clock.nowMillis()
        // The prefix hashes serve twice: to find the conversation's tier, and to plan the cache.
        let sticky = policy.routing.stickyConversations
        let conversationTier = conversations.tier(client: client.name, prefixes: input.prefixes, capacity: sticky)
        let priorityHint = headers.combined(.priorityHint).flatMap(AdmissionQueue.Priority.init(rawValue:))
        let terms = RunTerms(
            priority: priority ?? priorityHint
                ?? (client.defaultPriority == .background ? AdmissionQueue.Priority.background : .interactive),
            deadlineMillis: deadlineMillis,
            runsNow: !task
                ? "only tasks are deferred (POST /v1/tasks)"
                : !defersTasks ? "this service has no task queue: tasks run now" : nil)
        let decision = try decide(
            input, client: client, policy: policy, now: now, conversationTier: conversationTier, terms: terms)
        if admit {
            conversations.record(client: client.name, prefixes: input.prefixes, tier: decision.tier, capacity: sticky)
        }
        try Self.checkMaxTokens(request.maxTokens, model: decision.model, policy: policy)
        request.model = decision.model
        if !decision.cache.breakpoints.isEmpty { request = decision.cache.apply(to: request) }
        if admit {
            // The reuse table learns what goes upstream (planned or not), and waits for the usage the API reports.
            cachePlanner.observe(
                input.cacheFeatures(for: decision), plan: decision.cache, nowMillis: now, requestID: requestID)
        }
        var forwarded: [(name: String, value: String)] = [
            ("anthropic-version", headers.combined(.anthropicVersion) ?? "2023-06-01")
        ]
        if let beta = headers.combined(.anthropicBeta) { forwarded.append(("anthropic-beta", beta)) }
        if forwardSimulatorHeaders {
            for field in headers where field.name.canonicalName.hasPrefix("x-sim-") {
                forwarded.append((field.name.canonicalName, field.value))
            }
        }
        let call = RoutedCall(
            requestID: requestID, client: client, policy: policy, request: request, decision: decision,
            priority: terms.priority, deadlineMillis: deadlineMillis, arrival: arrival, arrivalMillis: now,
            cachePlan: decision.cache.ledgerForm, cacheBy: decision.cache.owner, forwardedHeaders: forwarded)
        if admit {
            do {
                try await holds.admit(
                    requestID, client: client, taskType: decision.classification.taskType,
                    estimate: Self.reservationEstimate(call, batch: false), nowMillis: now, deferred: false,
                    spend: spend)
            } catch {
                throw RouterHTTPError.routing(error)
            }
        }
        return call
    }

    /// `prepare` for a `POST /v1/tasks` (or `/v1/route`) body: its Messages request, with the envelope's task type,
    /// metadata, priority and deadline; the call is a task (it may be deferred).
    func prepare(
        task: TaskEnvelope, headers: HTTPFields, client: ClientSpec, policy: Policy, requestID: String,
        arrival: ContinuousClock.Instant, admit: Bool = true
    ) async throws(RouterHTTPError) -> RoutedCall {
        try await prepare(
            body: task.messagesBody, headers: headers, client: client, policy: policy, requestID: requestID,
            arrival: arrival, taskTypeHint: task.taskType, metadata: task.metadata, priority: task.priority,
            deadlineMillis: task.deadlineMillis, admit: admit, task: true)
    }

    /// `Router.decide` for `client` under `policy`, with the client's running spend (and, once the request is
    /// classified, its spend on the task type) read from the spend source, the cache planned by the service's
    /// planner, and the pacer's headroom for background work.
    func decide(
        _ input: DecisionRequest, client: ClientSpec, policy: Policy, now: Int64, conversationTier: Tier?,
        terms: RunTerms
    ) throws(RouterHTTPError) -> Decision {
        let spend = self.spend
        let planner = cachePlanner
        return try traced { () throws(RoutingError) in
            try RouterCore.Router.decide(
                input, client: client, policy: policy, spend: { spend.spend(client: client.name, taskType: $0) },
                nowMillis: now, conversationTier: conversationTier, terms: terms,
                rateLimited: {
                    rateLimitSaturated(model: $0.model, estimatedInput: $0.estimatedUsage.input, policy: policy)
                },
                planCache: { planner.plan($0, profile: $1, policy: $2, nowMillis: $3) })
        }
    }

    /// Routes a request for `client` under `policy` (a deferred task run again), with the client's running spend
    /// checked against its budget and, once the request is classified, its spend on the task type against that task
    /// type's budget.
    func route(
        _ features: RoutingFeatures, client: ClientSpec, policy: Policy, now: Int64, conversationTier: Tier? = nil
    ) throws(RouterHTTPError) -> Decision {
        let spend = self.spend
        return try traced { () throws(RoutingError) in
            let spent = spend.spend(client: client.name, taskType: nil)
            let budget = BudgetCheck.evaluate(
                client.budget, spentToday: spent.day, spentThisMonth: spent.month, nowMillis: now)
            return try RouterCore.Router.route(
                features, client: client, policy: policy, budget: budget,
                taskTypeBudget: { taskType in
                    BudgetCheck.evaluate(taskType: taskType, of: client.budget, nowMillis: now) {
                        spend.spend(client: client.name, taskType: $0)
                    }
                }, day: Day(epochMillis: now), conversationTier: conversationTier)
        }
    }

    /// Runs one routing decision in a `classify and route` span: the decision goes on the span; a routing error is
    /// mapped to its HTTP form, whose type goes on the span.
    private func traced(_ route: () throws(RoutingError) -> Decision) throws(RouterHTTPError) -> Decision {
        let span = tracer?.routeSpan()
        defer { span?.end() }
        do {
            let decision = try route()
            span?.setDecision(decision)
            return decision
        } catch {
            let refused = RouterHTTPError.routing(error)
            span?.attributes["error.type"] = refused.type.rawValue
            throw refused
        }
    }

    /// Whether the model's rate-limit bucket has no headroom left for background work now (a non-blocking look at
    /// the pacer): requests or input tokens used up, a 429 pause, or interactive requests already queued.
    /// `Router.decide` asks it (for a background task only) to decide a `rate_limited` deferral.
    func rateLimitSaturated(model id: String, estimatedInput: Int64, policy: Policy) -> Bool {
        guard let model = policy.model(named: id),
            let lane = pacing.laneSnapshots().first(where: { $0.bucket == model.rateLimitBucket })
        else { return false }
        let headroom = lane.headroom
        return headroom.blockedForMillis > 0 || (headroom.requests.map { $0 <= 0 } ?? false)
            || (headroom.inputTokens.map { $0 < estimatedInput } ?? false)
            || lane.interactiveDepth > 0
    }

    /// What a call's budget reservation holds: the estimated input and, as the client's budget says
    /// (`reserve_output`), its `max_tokens` or its task type's expected output, priced on the dearest model the
    /// call may reach (its fallbacks included), at the request's `inference_geo`; batch-priced for a deferred task.
    static func reservationEstimate(_ call: RoutedCall, batch: Bool) -> Money {
        let budget = call.client.budget
        let mode = budget?.taskTypes[call.decision.classification.taskType]?.reserveOutput ?? budget?.reserveOutput
        let output =
            mode == .expected
            ? call.decision.estimatedUsage.output
            : max(call.decision.estimatedUsage.output, Int64(call.request.maxTokens))
        let usage = TokenUsage(input: call.decision.estimatedUsage.input, output: output)
        let day = Day(epochMillis: call.arrivalMillis)
        let terms = Pricing.Terms(batch: batch, geo: call.inferenceGeo)
        let costs = call.models.map {
            (try? Pricing.checkedCost(of: usage, price: $0.price(on: day), terms: terms)) ?? Money(nanoUSD: .max)
        }
        return costs.max() ?? .zero
    }

    /// `max_tokens` must fit the routed model's `max_output_tokens`: a request over it can never succeed.
    static func checkMaxTokens(_ maxTokens: Int, model id: String, policy: Policy) throws(RouterHTTPError) {
        guard let model = policy.model(named: id), Int64(maxTokens) > model.maxOutputTokens else { return }
        throw RouterHTTPError.invalid(
            "max_tokens: \(maxTokens) is greater than the maximum of \(model.maxOutputTokens) output tokens of "
                + "\(model.id), the model this request is routed to")
    }
}
