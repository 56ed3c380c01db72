import ClaudeAPI
import Logging
import HTTPTypes
import RouterCore
import UsageLedger

/// Runs a deferred task now (the batch scheduler's `DeferredTaskRunner`), through the call executor `POST /v1/tasks`
/// uses.
struct TaskRunner: DeferredTaskRunner {
    let policies: PolicyStore
    let preparer: CallPreparer
    let executor: CallExecutor
    let clock: any RouterClock
    let logger: Logger

    /// Runs a deferred task now through the pipeline `POST /v1/tasks` uses: routed again under the current policy
    /// from what the client asked for (so the decision and its baseline are the original ones when the policy has
    /// not changed), paced at interactive priority with the task's deadline, retried and fallen back by the
    /// dispatcher, and recorded in the ledger with mode `sync`.
    ///
    /// The task's earlier batch attempts already have their `.attempt` rows; this run's request row counts them in
    /// `retries`, and its attempt rows are numbered after them, so `report` sees one request with all its attempts.
    /// A failure that may pass (429, 5xx, overloaded) while the task has attempts left is recorded as attempts only
    /// and the task runs again on a later tick (failed there, with a request row, if its deadline has passed).
    func runNow(_ task: DeferredTask) async -> TaskRunOutcome {
        let arrival = ContinuousClock.now
        let meta = TaskMeta(text: task.metaJSON)
        let prior = max(0, task.attempts - 1)
        let attemptsLeft = task.attempts < policies.current.batches.maxAttempts
        let call: RoutedCall
        do {
            call = try routedCall(for: task, meta: meta, arrival: arrival)
        } catch {
            // Refused before sending (budget, client gone, invalid): running again would not help.
            await recordRunFailure(task, meta: meta, error: error, prior: prior, retry: false)
            return TaskRunOutcome(resultJSON: nil, error: "\(error.type.rawValue): \(error.message)", costNano: 0)
        }
        let dispatched: Dispatcher.Dispatched
        do {
            dispatched = try await executor.send(call)
        } catch {
            let retry = attemptsLeft && RetryPolicy.isRetryable(status: Int(error.status.code), hints: RetryHints())
            await recordRunFailure(task, meta: meta, error: error, prior: prior, retry: retry)
            return TaskRunOutcome(
                resultJSON: nil, error: "\(error.type.rawValue): \(error.message)", costNano: 0, retry: retry)
        }
        let outcome = dispatched.outcome
        guard let received = await executor.receive(outcome, lease: dispatched.lease, for: call) else {
            let failure = RouterHTTPError(.api, "the upstream response could not be read", status: 502)
            await recordRunFailure(task, meta: meta, error: failure, prior: prior, retry: attemptsLeft)
            return TaskRunOutcome(
                resultJSON: nil, error: "api_error: \(failure.message)", costNano: 0, retry: attemptsLeft)
        }
        let status = received.status
        let latency = Dispatcher.millis(since: arrival)
        var rows = executor.records(
            for: call, outcome: outcome, status: status, errorType: received.errorType, usage: received.usage,
            estimated: received.estimated, mode: .sync, latencyMillis: latency,
            upstreamLatencyMillis: received.upstreamLatencyMillis, geo: received.geo, impossible: received.impossible)
        let retry =
            received.message == nil && attemptsLeft
            && RetryPolicy.isRetryable(status: status, hints: RetryHints(header: { outcome.headers[$0] }))
        let request = rows[0]
        let cost = request.cost
        Self.countPriorAttempts(prior, in: &rows)
        if retry { rows = Self.attemptsOnly(rows, prior: prior) }
        await executor.finish(
            call, rows: rows, request: request, bucket: outcome.bucket, model: outcome.model.id, status: status,
            latencyMillis: latency, overheadMillis: max(0, latency - received.upstreamLatencyMillis))
        if !retry { executor.holds.release(call.requestID) }
        guard received.message != nil else {
            let error = ErrorResponse(bytes: received.body)?.error
            return TaskRunOutcome(
                resultJSON: nil,
                error: "\(error?.type.rawValue ?? "api_error"): \(error?.message ?? "the API answered \(status)")",
                costNano: cost.nanoUSD, retry: retry)
        }
        return TaskRunOutcome(
            resultJSON: String(decoding: received.body, as: UTF8.self), error: nil, costNano: cost.nanoUSD)
    }

    /// The call a deferred task makes now: the stored request (with its cache markers and pass-through headers),
    /// routed again from the model the client asked for.
    func routedCall(for task: DeferredTask, meta: TaskMeta, arrival: ContinuousClock.Instant) throws(RouterHTTPError)
        -> RoutedCall
    {
        let policy = policies.current
        guard
            let client = policy.client(named: task.client)
                ?? (task.client == ClientAuthenticator.anonymous.name ? ClientAuthenticator.anonymous : nil)
        else {
            throw RouterHTTPError(.authentication, "client '\(task.client)' is no longer in the policy")
        }
        var request: MessagesRequest
        do {
            request = try MessagesRequest(bytes: Array(task.requestJSON.utf8))
        } catch {
            throw RouterHTTPError.invalid(error.description)
        }
        if !meta.routing.requestedModel.isEmpty { request.model = meta.routing.requestedModel }
        let metadata = (meta.metadata.objectValue ?? [:]).reduce(into: [String: String]()) { result, entry in
            result[entry.key] = entry.value.stringValue ?? entry.value.jsonString()
        }
        let features = RoutingFeatures(
            request: request.raw, client: client.name, taskTypeHint: task.taskType, metadata: metadata)
        let now = clock.nowMillis()
        let decision = try preparer.route(features, client: client, policy: policy, now: now)
        request.model = decision.model
        let headers = HeaderSet(canonical: task.headers)
        return RoutedCall(
            requestID: meta.requestID.isEmpty ? task.id : meta.requestID, client: client, policy: policy,
            request: request, decision: decision, priority: .interactive, deadlineMillis: task.deadlineMillis,
            arrival: arrival, arrivalMillis: now, cachePlan: meta.cachePlan, deferral: meta.deferral,
            cacheBy: meta.cacheBy, forwardedHeaders: headers.apiHeaders.filter { $0.name != "content-type" })
    }

    /// Folds a task's `prior` batch attempts into a synchronous run's rows: the request row's `retries` counts
    /// them, the run's attempt rows are numbered after them, and a run of one attempt gets its attempt row.
    static func countPriorAttempts(_ prior: Int, in rows: inout [UsageRecord]) {
        guard prior > 0, !rows.isEmpty else { return }
        rows[0].retries += prior
        if rows.count == 1 {
            var attempt = rows[0]
            attempt.kind = .attempt
            attempt.retries = 0
            attempt.attempt = prior + 1
            rows.append(attempt)
        } else {
            for i in 1..<rows.count { rows[i].attempt += prior }
        }
    }

    /// The rows of a run that will be retried: its attempts only (the request row comes with the run that ends it).
    static func attemptsOnly(_ rows: [UsageRecord], prior: Int) -> [UsageRecord] {
        guard let first = rows.first else { return [] }
        if rows.count > 1 { return Array(rows.dropFirst()) }
        var attempt = first
        attempt.kind = .attempt
        attempt.retries = 0
        attempt.attempt = prior + 1
        return [attempt]
    }

    /// The ledger row of a run that got no answer to record (refused before sending, or no reply): a failed request,
    /// or only a failed attempt when the task will run again.
    func recordRunFailure(_ task: DeferredTask, meta: TaskMeta, error: RouterHTTPError, prior: Int, retry: Bool) async {
        let now = clock.nowMillis()
        let model = policies.current.model(named: task.model)
        var rows = [
            UsageRecord(
                kind: .request, timestampMillis: now, requestID: meta.requestID.isEmpty ? task.id : meta.requestID,
                client: task.client, taskType: task.taskType, confidenceMillis: meta.routing.confidenceMillis,
                classifierReason: meta.routing.classifierReason, modelRequested: meta.routing.requestedModel,
                modelUsed: model?.id ?? task.model, tier: model?.tier.rawValue ?? meta.routing.tier, mode: .sync,
                status: Int(error.status.code), errorType: error.type.rawValue, policyHash: meta.routing.policyHash,
                cachePlan: meta.cachePlan, deferral: meta.deferral)
        ]
        Self.countPriorAttempts(prior, in: &rows)
        if retry { rows = Self.attemptsOnly(rows, prior: prior) }
        for row in rows { await executor.recorder.record(row) }
        if !retry { executor.holds.release(meta.requestID.isEmpty ? task.id : meta.requestID) }
        logger.warning(
            "a deferred task's synchronous run failed",
            metadata: ["task": "\(task.id)", "error": "\(error.type.rawValue)", "status": "\(error.status.code)"])
    }
}
