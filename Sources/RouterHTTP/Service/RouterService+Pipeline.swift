import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore
import Tracing

extension RouterService {
    /// Routes a request for `client` under `policy`, with the client's running spend checked against its budget and,
    /// once the request is classified, its spend on the task type against that task type's budget.
    func route(
        _ features: RoutingFeatures, client: ClientSpec, policy: Policy, now: Int64, conversationTier: Tier? = nil
    ) throws(RouterHTTPError) -> Decision {
        let span = tracer?.routeSpan()
        defer { span?.end() }
        let spent = spend.spend(client: client.name, taskType: nil)
        let budget = BudgetCheck.evaluate(
            client.budget, spentToday: spent.day, spentThisMonth: spent.month, nowMillis: now)
        do {
            let decision = try RouterCore.Router.route(
                features, client: client, policy: policy, budget: budget,
                taskTypeBudget: { taskType in
                    BudgetCheck.evaluate(taskType: taskType, of: client.budget, nowMillis: now) {
                        spend.spend(client: client.name, taskType: $0)
                    }
                }, day: Day(epochMillis: now), conversationTier: conversationTier)
            span?.setDecision(decision)
            return decision
        } catch {
            let refused = Self.httpError(error)
            span?.attributes["error.type"] = refused.type.rawValue
            throw refused
        }
    }

    /// Decodes, checks and decides a Messages request of an authenticated `client` under `policy`
    /// (`Router.decide`: classification, model, cache plan, deferral), applies the cache plan, and (when `admit`)
    /// reserves its estimated cost against the client's budget under `requestID`: the caller releases it
    /// (`holds.release`) once the call's row is recorded, or keeps it for a deferred task. No I/O beyond the spend
    /// look-up.
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
        let hint = taskTypeHint ?? headers[.taskTypeHint]
        let input = DecisionRequest(body: request.raw, client: client.name, taskTypeHint: hint, metadata: metadata)
        let now = clock.nowMillis()
        // The prefix hashes serve twice: to find the conversation's tier, and to plan the cache.
        let sticky = policy.routing.stickyConversations
        let conversationTier = conversations.tier(client: client.name, prefixes: input.prefixes, capacity: sticky)
        let priorityHint = headers[.priorityHint].flatMap(AdmissionQueue.Priority.init(rawValue:))
        let terms = RunTerms(
            priority: priority ?? priorityHint
                ?? (client.defaultPriority == .background ? AdmissionQueue.Priority.background : .interactive),
            deadlineMillis: deadlineMillis,
            runsNow: !task
                ? "only tasks are deferred (POST /v1/tasks)"
                : taskStore == nil ? "this service has no task queue: tasks run now" : nil)
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
            ("anthropic-version", headers[.anthropicVersion] ?? "2023-06-01")
        ]
        if let beta = headers[.anthropicBeta] { forwarded.append(("anthropic-beta", beta)) }
        if configuration.forwardSimulatorHeaders {
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
                    estimate: reservationEstimate(call, batch: false), nowMillis: now, deferred: false, spend: spend)
            } catch {
                throw Self.httpError(error)
            }
        }
        return call
    }

    /// `Router.decide` for `client` under `policy`, with the client's running spend (and, once the request is
    /// classified, its spend on the task type) read from the spend source, the cache planned by the service's
    /// planner, and the pacer's headroom for background work.
    func decide(
        _ input: DecisionRequest, client: ClientSpec, policy: Policy, now: Int64, conversationTier: Tier?,
        terms: RunTerms
    ) throws(RouterHTTPError) -> Decision {
        let span = tracer?.routeSpan()
        defer { span?.end() }
        let spend = self.spend
        let planner = cachePlanner
        do {
            let decision = try RouterCore.Router.decide(
                input, client: client, policy: policy, spend: { spend.spend(client: client.name, taskType: $0) },
                nowMillis: now, conversationTier: conversationTier, terms: terms,
                rateLimited: { rateLimitSaturated(model: $0.model, estimatedInput: $0.estimatedUsage.input, policy: policy) },
                planCache: { planner.plan($0, profile: $1, policy: $2, nowMillis: $3) })
            span?.setDecision(decision)
            return decision
        } catch {
            let refused = Self.httpError(error)
            span?.attributes["error.type"] = refused.type.rawValue
            throw refused
        }
    }

    /// What a call's budget reservation holds: the estimated input and, as the client's budget says
    /// (`reserve_output`), its `max_tokens` or its task type's expected output, priced on the dearest model the
    /// call may reach (its fallbacks included), at the request's `inference_geo`; batch-priced for a deferred task.
    func reservationEstimate(_ call: RoutedCall, batch: Bool) -> Money {
        let budget = call.client.budget
        let mode = budget?.taskTypes[call.decision.classification.taskType]?.reserveOutput ?? budget?.reserveOutput
        let output =
            mode == .expected
            ? call.decision.estimatedUsage.output : max(call.decision.estimatedUsage.output, Int64(call.request.maxTokens))
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

    static func httpError(_ error: RoutingError) -> RouterHTTPError {
        // The core names the API error type and status (a budget is 402 budget_exceeded_error, not a rate limit).
        return RouterHTTPError(ErrorType(rawValue: error.code.apiErrorType), error.message, status: error.code.httpStatus)
    }

    /// Sends a prepared call upstream (paced, retried, with fallback).
    func send(_ call: RoutedCall, path: String = "/v1/messages") async throws(RouterHTTPError) -> Dispatcher.Dispatched {
        return try await dispatcher.dispatch(
            models: call.models, policy: call.policy, priority: call.priority, deadlineMillis: call.deadlineMillis,
            estimatedInput: call.decision.estimatedUsage.input, maxOutput: Int64(call.request.maxTokens)
        ) { model in
            var request = call.request
            request.model = model.id
            return UpstreamCall(
                method: "POST", path: path,
                headers: call.forwardedHeaders + [("content-type", "application/json")],
                body: request.serialized())
        }
    }

    /// The usage row of a finished call, priced, plus one row per attempt when there were several.
    ///
    /// Priced at the call's arrival day, its `inference_geo` (`geo`: the one the API reported, else the request's)
    /// and whose cache breakpoints it carried. A usage that cannot be priced (a broken upstream: counts that do not
    /// fit, negative counts, `impossible` already set by `billable`) is recorded with zero tokens and cost and the
    /// error type `impossible_usage`, and logged as an error; the service never traps on it.
    func records(
        for call: RoutedCall, outcome: Dispatcher.Outcome?, status: Int, errorType: String?, usage: TokenUsage,
        estimated: Bool, mode: UsageRecord.Mode, latencyMillis: Int, upstreamLatencyMillis: Int, geo: String? = nil,
        impossible: String? = nil
    ) -> [UsageRecord] {
        let policy = call.policy
        var usage = usage
        var errorType = errorType
        var impossible = impossible
        // The API's cache tokens tell the planner what it really holds (estimates and errors teach nothing).
        if impossible == nil, !estimated, status < 400 {
            cachePlanner.observeOutcome(requestID: call.requestID, usage: usage, nowMillis: clock.nowMillis())
        }
        let model = outcome?.model ?? policy.model(named: call.decision.model)
        let baseline = policy.model(named: call.decision.baselineModel) ?? model
        var row = UsageRecord(
            kind: .request, timestampMillis: call.arrivalMillis, requestID: call.requestID, attempt: 0,
            upstreamRequestID: outcome?.attempts.last?.upstreamRequestID, client: call.client.name,
            taskType: call.decision.classification.taskType,
            confidenceMillis: call.decision.classification.confidenceMillis,
            classifierReason: call.decision.classification.reason, modelRequested: call.decision.requestedModel,
            modelUsed: model?.id ?? call.decision.model, tier: (model?.tier ?? call.decision.tier).rawValue,
            mode: mode, status: status, errorType: errorType, usage: usage, usageEstimated: estimated,
            policyHash: policy.contentHash, latencyMillis: latencyMillis, upstreamLatencyMillis: upstreamLatencyMillis,
            queueWaitMillis: outcome?.queueWaitMillis ?? 0, retries: max(0, (outcome?.attempts.count ?? 1) - 1),
            cachePlan: call.cachePlan, deferral: call.deferral, inferenceGeo: geo ?? call.inferenceGeo,
            cacheBy: call.cacheBy)
        row.difficulty = call.decision.difficulty?.rawValue ?? ""
        if impossible == nil, let model, let baseline {
            do {
                try Pricing.price(&row, model: model, baseline: baseline, on: Day(epochMillis: call.arrivalMillis))
            } catch {
                impossible = error.description
            }
        }
        if let impossible {
            logger.error(
                "the upstream reported a usage that cannot be billed; recorded with zero tokens and cost",
                metadata: [
                    "request_id": "\(call.requestID)", "upstream_request_id": "\(row.upstreamRequestID ?? "")",
                    "usage": "\(impossible)",
                ])
            usage = .zero
            errorType = PricingError.ledgerErrorType
            row.markImpossible()
        }
        AccessLogEntry.current?.take(row)
        var rows = [row]
        if let attempts = outcome?.attempts, attempts.count > 1 {
            for (i, attempt) in attempts.enumerated() {
                let attemptModel = policy.model(named: attempt.model)
                var a = UsageRecord(
                    kind: .attempt, timestampMillis: call.arrivalMillis, requestID: call.requestID, attempt: i + 1,
                    upstreamRequestID: attempt.upstreamRequestID, client: call.client.name,
                    taskType: row.taskType, confidenceMillis: row.confidenceMillis, classifierReason: row.classifierReason,
                    modelRequested: row.modelRequested, modelUsed: attempt.model,
                    tier: attemptModel?.tier.rawValue ?? row.tier, mode: mode, status: attempt.status,
                    errorType: attempt.errorType, policyHash: policy.contentHash,
                    upstreamLatencyMillis: attempt.latencyMillis, queueWaitMillis: attempt.queueWaitMillis,
                    cachePlan: call.cachePlan, deferral: call.deferral)
                a.difficulty = row.difficulty
                if i == attempts.count - 1 {
                    a.usage = usage
                    a.usageEstimated = row.usageEstimated
                    a.cost = row.cost
                    a.baselineCost = row.baselineCost
                    a.priceVersion = row.priceVersion
                    a.webSearchCost = row.webSearchCost
                    a.inferenceGeo = row.inferenceGeo
                    if impossible != nil { a.errorType = errorType }
                }
                a.cacheBy = row.cacheBy
                rows.append(a)
            }
        }
        return rows
    }

    /// The decision headers every routed response carries.
    func decisionHeaders(_ call: RoutedCall, outcome: Dispatcher.Outcome?, cost: Money?) -> HTTPFields {
        var fields: HTTPFields = [:]
        fields[.routerRequestID] = call.requestID
        fields[.routerModel] = outcome?.model.id ?? call.decision.model
        fields[.routerTaskType] = call.decision.classification.taskType
        fields[.routerConfidence] = String(format3(call.decision.classification.confidence))
        fields[.routerDifficulty] = call.decision.difficultyHeader
        if let cost { fields[.routerCost] = cost.exactDollars }
        fields[.routerEstimatedCost] = call.decision.estimatedCost.exactDollars
        if let outcome, outcome.model.id != call.decision.model { fields[.routerFallback] = call.decision.model }
        if let outcome, outcome.attempts.count > 1 { fields[.routerRetries] = String(outcome.attempts.count - 1) }
        fields[.routerCachePlan] = call.cachePlan
        return fields
    }

    func format3(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)"
    }

    static func tokenUsage(_ usage: Usage) -> TokenUsage {
        TokenUsage(
            input: Int64(usage.inputTokens), output: Int64(usage.outputTokens),
            cacheWrite5m: Int64(usage.cacheCreation5mInputTokens), cacheWrite1h: Int64(usage.cacheCreation1hInputTokens),
            cacheRead: Int64(usage.cacheReadInputTokens), webSearchRequests: Int64(usage.webSearchRequests))
    }

    /// An upstream usage as the ledger bills it, checked before anything adds or multiplies its counts.
    struct Billable {
        /// The counts; zero when `impossible`.
        var usage: TokenUsage
        /// The geo the API reported (`us`, `global`), nil when it reported none or `not_available`.
        var geo: String?
        /// Why the usage cannot be billed, nil when it can.
        var impossible: String?
    }

    /// Reads and checks `usage` for `model`: counts that are not 64-bit whole numbers, negative counts, or counts
    /// whose price overflows make it impossible (zero counts, a reason), so the pacer, the cache planner, the
    /// metrics and the ledger never do arithmetic on them.
    static func billable(_ usage: Usage, model: ModelSpec?, on day: Day) -> Billable {
        let geo = usage.inferenceGeo.flatMap { $0 == "not_available" ? nil : $0 }
        let unreadable = usage.unreadableCounts
        if !unreadable.isEmpty {
            return Billable(usage: .zero, geo: geo, impossible: "unreadable counts: \(unreadable.joined(separator: ", "))")
        }
        let tokens = tokenUsage(usage)
        if let model {
            let price = model.price(on: day)
            do {
                _ = try Pricing.checkedCost(of: tokens, price: price, terms: Pricing.Terms(geo: geo))
                _ = try Pricing.checkedCost(of: Pricing.uncached(tokens), price: price, terms: Pricing.Terms(geo: geo))
            } catch {
                return Billable(usage: .zero, geo: geo, impossible: error.description)
            }
        } else if !tokens.isNonNegative {
            return Billable(usage: .zero, geo: geo, impossible: "negative counts")
        }
        return Billable(usage: tokens, geo: geo, impossible: nil)
    }
}

extension UsageRecord {
    /// Makes this row the record of a usage that could not be billed: zero tokens and cost, `impossible_usage`.
    mutating func markImpossible() {
        usage = .zero
        usageEstimated = true
        errorType = PricingError.ledgerErrorType
        cost = .zero
        baselineCost = .zero
        savedByRouting = .zero
        savedByCaching = .zero
        savedByClientCache = .zero
        savedByBatching = .zero
        webSearchCost = .zero
    }
}
