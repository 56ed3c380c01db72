import Logging
import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore
import UsageLedger

extension RouterService {
    /// Fields of a task that are the router's, not the Messages API's: stripped before the call goes upstream.
    static let taskOnlyFields: Set<String> = ["task_type", "priority", "deadline", "metadata", "callback_url"]

    /// `POST /v1/tasks`: the native face. Answers with the result and the decision, or `202` with the stored task
    /// when it is deferred to the Message Batches API (see `Deferral`).
    func handleCreateTask(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        let requestID = newRequestID()
        do {
            let (client, policy) = try context.authenticated()
            let body = try await collect(request)
            let task = try TaskEnvelope(bytes: body, now: clock.nowMillis())
            var call = try await prepare(
                body: task.messagesBody, headers: request.headers, client: client, policy: policy,
                requestID: requestID, arrival: arrival,
                taskTypeHint: task.taskType, metadata: task.metadata, priority: task.priority,
                deadlineMillis: task.deadlineMillis, task: true)
            try await CallbackGuard.validate(task.callbackURL, policy: call.policy.batches.callbacks)
            call.request.stream = false
            call.request.raw["stream"] = nil
            let id = "task_" + requestID.dropFirst(4)
            if let store = taskStore, call.decision.deferral.deferred {
                if let accepted = try await deferTask(&call, envelope: task, id: id, store: store) { return accepted }
            }
            let completed = try await complete(call)
            var result: JSONValue = .null
            if let parsed = try? JSONValue.parse(completed.body) { result = parsed }
            let succeeded = (200..<300).contains(completed.status)
            let object: JSONValue = .object([
                "id": .string(id), "type": "task", "status": .string(succeeded ? "succeeded" : "failed"),
                "created_at": .string(Self.iso(call.arrivalMillis)),
                // The model that answered (a fallback's when the routed one failed); the decision names the routed one.
                "model": .string(completed.model),
                "decision": call.decision.json,
                "result": succeeded ? result : .null,
                "error": succeeded ? .null : (result["error"] ?? .null),
                "usage": usageJSON(completed.usage),
                "cost_usd": .string(completed.cost.exactDollars),
                "metadata": .object(JSONObject(task.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ])
            await tasks.store(
                id: id, client: call.client.name, body: object.serialized(), createdMillis: call.arrivalMillis,
                spill: taskStore)
            var headers = decisionHeaders(call, outcome: nil, cost: completed.cost)
            headers[.routerModel] = completed.model
            return Self.json(object, status: succeeded ? .ok : HTTPResponse.Status(code: completed.status), headers: headers)
        } catch {
            holds.release(requestID)
            metrics.routerError(type: error.type.rawValue)
            return error.response(requestID: requestID)
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
        let metadata = JSONValue.object(
            JSONObject(envelope.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        var meta = TaskMeta(requestID: call.requestID, decision: call.decision, metadata: metadata)
        meta.inferenceGeo = call.inferenceGeo
        // The hold made at admission stays until the task's final row: at the batch price, kept in the meta so a
        // restart rebuilds it (a client's budget covers the tasks it has queued, not only what has run).
        let reserved = call.client.budget == nil ? Money.zero : reservationEstimate(call, batch: true)
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
        holds.keepForDeferredTask(call.requestID, amount: reserved)
        metrics.families.deferred.labels(deferral.reason?.rawValue ?? "unknown").increment()
        var headers = decisionHeaders(call, outcome: nil, cost: nil)
        headers[HTTPField.Name("x-router-deferred")!] = deferral.reason?.rawValue
        return Self.json(TaskDocument.json(deferred, batch: nil), status: .accepted, headers: headers)
    }

    /// `GET /v1/tasks/{id}`: a task answered at once (in memory, or spilled to the database), or a deferred task's
    /// durable state. Either is visible only to the client that created it (404 for anyone else, as for an unknown
    /// id).
    func handleGetTask(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
        let client = try context.authenticated().client
        if let body = await tasks.get(id: id, client: client.name, spill: taskStore) {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        if let store = taskStore {
            let found = try await Self.lookUp(id, in: store)
            if let task = found.task, task.client == client.name {
                return Self.json(TaskDocument.json(task, batch: found.batch))
            }
        }
        throw RouterHTTPError(.notFound, "task \(id) not found")
    }

    /// `DELETE /v1/tasks/{id}`: cancels a deferred task that has not been sent yet.
    func handleCancelTask(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
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
        holds.release(meta.requestID.isEmpty ? task.id : meta.requestID)
        return Self.json(TaskDocument.json(task, batch: found.batch))
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

    /// `POST /v1/route`: the decision and its estimated cost, without calling the API.
    func handleRoute(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = newRequestID()
        do {
            let (client, policy) = try context.authenticated()
            let body = try await collect(request)
            let task = try TaskEnvelope(bytes: body, now: clock.nowMillis())
            let call = try await prepare(
                body: task.messagesBody, headers: request.headers, client: client, policy: policy,
                requestID: requestID, arrival: .now,
                taskTypeHint: task.taskType, metadata: task.metadata, priority: task.priority,
                deadlineMillis: task.deadlineMillis, admit: false, task: true)
            return Self.json(
                .object([
                    "request_id": .string(requestID), "decision": call.decision.json,
                    "summary": .string(call.decision.summary),
                ]), headers: decisionHeaders(call, outcome: nil, cost: nil))
        } catch {
            return error.response(requestID: requestID)
        }
    }

    func usageJSON(_ u: TokenUsage) -> JSONValue {
        .object([
            "input_tokens": .number(JSONNumber(u.input)), "output_tokens": .number(JSONNumber(u.output)),
            "cache_creation_5m_input_tokens": .number(JSONNumber(u.cacheWrite5m)),
            "cache_creation_1h_input_tokens": .number(JSONNumber(u.cacheWrite1h)),
            "cache_read_input_tokens": .number(JSONNumber(u.cacheRead)),
        ])
    }

    /// RFC 3339 in UTC to the second. The second is truncated, never rounded: a task created at 12:00:00.9 must not
    /// claim 12:00:01, later than the `Date` header of the answer that accepted it.
    static func iso(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Milliseconds since the epoch of an RFC 3339 time, with or without fractional seconds.
    static func parseISO(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        // Checked before the conversion: `Int64(_:)` of a Double out of range traps.
        guard let millis = date.map({ ($0.timeIntervalSince1970 * 1000).rounded() }), abs(millis) < 1e15 else {
            return nil
        }
        return Int64(millis)
    }
}

/// A `POST /v1/tasks` (or `/v1/route`) body: the router's fields, and the Messages request that remains.
struct TaskEnvelope {
    var taskType: String?
    var priority: AdmissionQueue.Priority?
    var deadlineMillis: Int64?
    var metadata: [String: String]
    var callbackURL: String?
    var messagesBody: [UInt8]

    /// How far ahead a `deadline` may lie: 7 days. Further is refused as a mistake (a deadline in milliseconds
    /// sent as seconds, say): no task waits that long, a deferred one runs within the Batches API's 24 hours.
    static let maxDeadlineHorizonSeconds: Int64 = 7 * 24 * 3600

    init(bytes: [UInt8], now: Int64) throws(RouterHTTPError) {
        var object = try RouterService.parseObject(bytes)
        if let t = object["task_type"], !t.isNull {
            guard let s = t.stringValue else { throw RouterHTTPError.invalid("task_type: expected a string") }
            taskType = s
        }
        if let p = object["priority"], !p.isNull {
            guard let s = p.stringValue, let priority = AdmissionQueue.Priority(rawValue: s) else {
                throw RouterHTTPError.invalid("priority: expected \"interactive\" or \"background\"")
            }
            self.priority = priority
        }
        if let d = object["deadline"], !d.isNull {
            // Checked before any arithmetic: a client's number never traps the process.
            let horizon = Self.maxDeadlineHorizonSeconds
            let millis: Int64
            if let s = d.stringValue, let at = RouterService.parseISO(s) {
                millis = at
            } else if let seconds = d.intValue {
                guard seconds >= 1, Int64(seconds) <= horizon else {
                    throw RouterHTTPError.invalid(
                        "deadline: \(seconds) seconds from now is outside the accepted window of 1 to \(horizon) seconds")
                }
                millis = now + Int64(seconds) * 1000
            } else {
                throw RouterHTTPError.invalid(
                    "deadline: expected an RFC 3339 time (2026-11-29T12:00:00Z) or a number of seconds from now")
            }
            guard millis > now else { throw RouterHTTPError.invalid("deadline: the time is in the past") }
            guard millis <= now + horizon * 1000 else {
                throw RouterHTTPError.invalid("deadline: more than \(horizon / 3600) hours from now")
            }
            deadlineMillis = millis
        }
        var metadata: [String: String] = [:]
        if let m = object["metadata"], !m.isNull {
            guard let o = m.objectValue else { throw RouterHTTPError.invalid("metadata: expected an object") }
            for (key, value) in o {
                metadata[key] = value.stringValue ?? value.jsonString()
            }
            // The Messages API's own metadata carries only `user_id`.
            if let user = o["user_id"]?.stringValue { object["metadata"] = .object(["user_id": .string(user)]) }
        }
        self.metadata = metadata
        if let c = object["callback_url"], !c.isNull {
            // Syntax here; where it points is checked (after DNS) by `CallbackGuard` once the policy is known.
            guard let s = c.stringValue, CallbackGuard.parse(s) != nil else {
                throw RouterHTTPError.invalid(
                    "callback_url: expected an absolute http:// or https:// URL with a host and no user info")
            }
            callbackURL = s
        }
        for key in ["task_type", "priority", "deadline", "callback_url"] { object[key] = nil }
        if object["metadata"]?.objectValue?["user_id"] == nil { object["metadata"] = nil }
        if object["model"] == nil { object["model"] = "auto" }
        if object["max_tokens"] == nil { object["max_tokens"] = 1024 }
        messagesBody = JSONValue.object(object).serialized()
    }
}
