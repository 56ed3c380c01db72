import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore
import UsageLedger

/// The router's native face: `POST /v1/tasks` (run now through the call executor, or deferred to the Message
/// Batches API), `GET` and `DELETE /v1/tasks/{id}`. Behind the authentication middleware.
struct TasksController: Sendable {
    let intake: CallIntake
    let executor: CallExecutor
    /// Results of tasks answered at once, kept for `GET /v1/tasks/{id}`.
    let tasks: TaskResults
    /// The durable queue of deferred tasks; nil turns deferral off (every task runs now).
    let taskStore: TaskStore?

    func addRoutes(to group: RouterGroup<RouterRequestContext>) {
        group.post("/v1/tasks") { request, context in try await create(request, context: context) }
        group.get("/v1/tasks/{id}") { request, context in
            try await get(request, context: context, id: context.parameters.get("id") ?? "")
        }
        group.delete("/v1/tasks/{id}") { request, context in
            try await cancel(request, context: context, id: context.parameters.get("id") ?? "")
        }
    }

    /// `POST /v1/tasks`: the native face. Answers with the result and the decision, or `202` with the stored task
    /// when it is deferred to the Message Batches API (see `Deferral`).
    func create(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        let requestID = RequestID.make()
        do {
            let prepared = try await intake.prepareTask(
                request, context: context, requestID: requestID, arrival: arrival)
            let task = prepared.task
            var call = prepared.call
            try await CallbackGuard.validate(task.callbackURL, policy: call.policy.batches.callbacks)
            call.request.stream = false
            call.request.raw["stream"] = nil
            let id = "task_" + requestID.dropFirst(4)
            if let store = taskStore, call.decision.deferral.deferred {
                if let accepted = try await deferTask(&call, envelope: task, id: id, store: store) { return accepted }
            }
            let completed = try await executor.complete(call)
            var result: JSONValue = .null
            if let parsed = try? JSONValue.parse(completed.body) { result = parsed }
            let succeeded = (200..<300).contains(completed.status)
            let object: JSONValue = .object([
                "id": .string(id), "type": "task", "status": .string(succeeded ? "succeeded" : "failed"),
                "created_at": .string(TaskTime.iso(call.arrivalMillis)),
                // The model that answered (a fallback's when the routed one failed); the decision names the routed one.
                "model": .string(completed.model),
                "decision": call.decision.json,
                "result": succeeded ? result : .null,
                "error": succeeded ? .null : (result["error"] ?? .null),
                "usage": TaskDocument.usageJSON(completed.usage),
                "cost_usd": .string(completed.cost.exactDollars),
                "metadata": task.metadataJSON,
            ])
            await tasks.store(
                id: id, client: call.client.name, body: object.serialized(), createdMillis: call.arrivalMillis,
                spill: taskStore)
            var headers = DecisionHeaders.of(call, outcome: nil, cost: completed.cost)
            headers[.routerModel] = completed.model
            guard succeeded else {
                // Refused or failed upstream: answered in the API's error shape with its status, as every other
                // refusal is, and the failed task (decision, usage, cost) stays readable at GET /v1/tasks/{task_id}.
                var error =
                    ErrorResponse(bytes: completed.body)
                    ?? ErrorResponse(
                        error: APIError(type: .api, message: "The API answered \(completed.status) with no error body."))
                if error.requestID == nil { error.requestID = requestID }
                error.raw["task_id"] = .string(id)
                return Response.json(
                    .object(error.raw), status: HTTPResponse.Status(code: completed.status), headers: headers)
            }
            return Response.json(object, status: .ok, headers: headers)
        } catch {
            return intake.failed(error, requestID: requestID)
        }
    }

    /// Stores the task durably and answers `202` (the decision deferred it); nil when it must run now instead (an
    /// interactive task of a client over `max_pending_per_client`: its decision's deferral then says so).
    ///
    /// - Throws: 429 `rate_limit_error` for a background task of a client over `max_pending_per_client`; 500 when
    ///   the task cannot be stored (nothing was accepted).
    func deferTask(
        _ call: inout RoutedCall, envelope: TaskEnvelope, id: String, store: TaskStore
    ) async throws(RouterHTTPError) -> Response? {
        let deferral = call.decision.deferral
        let config = call.policy.batches
        let client = call.client.name
        let unfinished: Int
        do {
            unfinished = try await store.run { queue throws(LedgerError) in try queue.unfinishedCount(client: client) }
        } catch {
            throw RouterHTTPError(.api, "The task queue is unavailable: \(error.message)")
        }
        if unfinished >= config.maxPendingPerClient {
            // Interactive work still gets an answer now; background work is what the bound protects against.
            if call.priority == .interactive {
                call.decision.deferral = Deferral(
                    reason: nil,
                    note: "\(deferral.note), but the client already has \(unfinished) deferred tasks unfinished "
                        + "(max_pending_per_client: \(config.maxPendingPerClient)): an interactive task runs now")
                return nil
            }
            throw RouterHTTPError(
                .rateLimit,
                "Client '\(client)' already has \(unfinished) deferred tasks unfinished, the most batches.yaml's "
                    + "max_pending_per_client allows (\(config.maxPendingPerClient)). Retry later, or send the task "
                    + "with priority \"interactive\" to run it now.",
                headers: [.retryAfter: String(max(1, config.maxWaitSeconds))])
        }
        call.deferral = deferral.ledgerForm
        var meta = TaskMeta(requestID: call.requestID, decision: call.decision, metadata: envelope.metadataJSON)
        meta.inferenceGeo = call.inferenceGeo
        // The hold made at admission stays until the task's final row: at the batch price, kept in the meta so a
        // restart rebuilds it (a client's budget covers the tasks it has queued, not only what has run).
        let reserved = call.client.budget == nil ? Money.zero : CallPreparer.reservationEstimate(call, batch: true)
        meta.reservedNano = reserved.nanoUSD
        let deferred = DeferredTask(
            id: id, client: client, createdMillis: call.arrivalMillis, deadlineMillis: call.deadlineMillis,
            priority: call.priority.rawValue, taskType: call.decision.classification.taskType,
            model: call.decision.model, requestJSON: String(decoding: call.request.serialized(), as: UTF8.self),
            callbackURL: envelope.callbackURL, metaJSON: String(decoding: meta.json.serialized(), as: UTF8.self),
            headers: HeaderSet(forwarded: call.forwardedHeaders).canonical)
        do {
            // Committed (synchronous=FULL) before the 202 is written: an accepted task survives a crash.
            try await store.run { queue throws(LedgerError) in try queue.insert(deferred) }
        } catch {
            throw RouterHTTPError(.api, "The task could not be stored: \(error.message)")
        }
        intake.holds.keepForDeferredTask(call.requestID, amount: reserved)
        intake.metrics.families.deferred.labels(deferral.reason?.rawValue ?? "unknown").increment()
        var headers = DecisionHeaders.of(call, outcome: nil, cost: nil)
        headers[HTTPField.Name("x-router-deferred")!] = deferral.reason?.rawValue
        return Response.json(TaskDocument.json(deferred, batch: nil), status: .accepted, headers: headers)
    }

    /// `GET /v1/tasks/{id}`: a task answered at once (in memory, or spilled to the database), or a deferred task's
    /// durable state. Either is visible only to the client that created it (404 for anyone else, as for an unknown
    /// id).
    func get(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
        let client = try context.authenticated().client
        if let body = await tasks.get(id: id, client: client.name, spill: taskStore) {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        if let store = taskStore {
            let found = try await Self.lookUp(id, in: store)
            if let task = found.task, task.client == client.name {
                return Response.json(TaskDocument.json(task, batch: found.batch))
            }
        }
        throw RouterHTTPError(.notFound, "task \(id) not found")
    }

    /// `DELETE /v1/tasks/{id}`: cancels a deferred task that has not been sent yet.
    func cancel(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
        let client = try context.authenticated().client
        guard let store = taskStore else { throw RouterHTTPError(.notFound, "task \(id) not found") }
        let name = client.name
        let canceled: Bool
        do {
            canceled = try await store.run { queue throws(LedgerError) in try queue.cancelPending(taskID: id, client: name) }
        } catch {
            throw RouterHTTPError(.api, "The task queue is unavailable: \(error.message)")
        }
        let found = try await Self.lookUp(id, in: store)
        guard let task = found.task, task.client == name else { throw RouterHTTPError(.notFound, "task \(id) not found") }
        guard canceled else {
            throw RouterHTTPError(
                .invalidRequest, "task \(id) is \(task.state.rawValue); only a pending task can be canceled", status: 409)
        }
        let meta = TaskMeta(text: task.metaJSON)
        intake.holds.release(meta.requestID.isEmpty ? task.id : meta.requestID)
        return Response.json(TaskDocument.json(task, batch: found.batch))
    }

    static func lookUp(_ id: String, in store: TaskStore) async throws(RouterHTTPError) -> (
        task: DeferredTask?, batch: BatchRecord?
    ) {
        do {
            return try await store.run { queue throws(LedgerError) in
                let task = try queue.task(id: id)
                let batch = try task?.batchID.flatMap { batchID throws(LedgerError) in try queue.batch(id: batchID) }
                return (task, batch)
            }
        } catch {
            throw RouterHTTPError(.api, "The task queue is unavailable: \(error.message)")
        }
    }
}
