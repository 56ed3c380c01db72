import ClaudeAPI
import Logging
import RouterCore

extension CallExecutor {
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
}
