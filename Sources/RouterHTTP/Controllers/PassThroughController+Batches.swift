import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RouterCore
import UsageLedger

/// The Message Batches pass-through: the documented batch endpoints only (`BatchEndpoint`), each batch owned by the
/// client that created it.
///
/// - Create: every request's params are validated like a `POST /v1/messages` body, its model resolved by the policy
///   (explicit model, tier or `auto`) for the client's allowed tiers, and the whole batch's estimated cost at batch
///   price checked against the client's budget; the batch is then created upstream with the router's key and stored
///   in the ledger database under a router id (`msgbatch_rtr…`). The upstream id is never shown.
/// - List, retrieve, cancel, delete and results look the router id up *with the client's name*: another client's
///   batch, a deferral batch of the router's own, an upstream id and an unknown id are all the same 404.
/// - Every batch object returned has the router's id and a `results_url` on the router.
/// - Results stream through; each result gets one ledger row (mode `batch`, priced on the batch's creation day),
///   exactly once however often they are read (see `TaskQueue.recordClientBatchResults`).
extension PassThroughController {
    /// `/v1/messages/batches…`, any method.
    func batches(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = RequestID.make()
        do throws(RouterHTTPError) {
            // Authenticated from the headers, before anything else is read, by the authentication middleware.
            let (client, policy) = try context.authenticated()
            let endpoint: BatchEndpoint
            switch BatchEndpoint.match(method: request.method.rawValue, path: request.uri.path) {
            case .endpoint(let found): endpoint = found
            case .wrongMethod(let allowed):
                throw RouterHTTPError(
                    .invalidRequest,
                    "Method \(request.method.rawValue) is not allowed here (allowed: \(allowed.joined(separator: ", ")))",
                    status: 405)
            case .unknown: throw RouterHTTPError(.notFound, "Not found")
            }
            guard let store = taskStore else {
                throw RouterHTTPError(
                    .notFound, "Message Batches need the router's database: this service runs without one (--db)")
            }
            let context = BatchContext(
                client: client, policy: policy, store: store, requestID: requestID,
                forwarded: batchForwardedHeaders(request.headers), routerBase: routerBaseURL(request))
            switch endpoint {
            case .create: return try await createBatch(request, context)
            case .list: return try await listBatches(request, context)
            case .retrieve(let id): return try await batchCall(id, "GET", suffix: "", context)
            case .cancel(let id): return try await batchCall(id, "POST", suffix: "/cancel", context)
            case .delete(let id): return try await deleteBatch(id, context)
            case .results(let id): return try await batchResults(id, context)
            }
        } catch {
            return error.response(requestID: requestID)
        }
    }

    /// What every batch endpoint works with.
    struct BatchContext: Sendable {
        var client: ClientSpec
        var policy: Policy
        var store: TaskStore
        var requestID: String
        var forwarded: [(name: String, value: String)]
        /// `http://host:port` as the client addressed the router.
        var routerBase: String
    }

    /// The pass-through headers of a batch call: the version, betas, `accept`, and the simulator's steering headers
    /// when the upstream is the simulator.
    func batchForwardedHeaders(_ headers: HTTPFields) -> [(name: String, value: String)] {
        var out = Self.forwardedHeaders(headers)
        if configuration.forwardSimulatorHeaders {
            for field in headers where field.name.canonicalName.hasPrefix("x-sim-") {
                out.append((field.name.canonicalName, field.value))
            }
        }
        return out
    }

    /// The router's own base URL as the client reached it, for `results_url`.
    func routerBaseURL(_ request: Request) -> String {
        let fallback = "\(configuration.host):\(configuration.port)"
        let authority = request.head.authority ?? fallback
        // The authority is the client's own text, returned only to that client; keep it to host:port bytes anyway.
        let safe =
            !authority.isEmpty
            && authority.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x3A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E
                    || b == 0x2D || b == 0x5B || b == 0x5D || b == 0x5F
            }
        return "http://" + (safe ? authority : fallback)
    }

    // MARK: - Create

    /// The cap on requests in one batch (the API's).
    static let maxBatchRequests = 100_000

    func createBatch(_ request: Request, _ context: BatchContext) async throws(RouterHTTPError) -> Response {
        let body = try await bodies.collect(request)
        guard case .object(let object) = try? JSONValue.parse(body) else {
            throw RouterHTTPError.invalid("request body must be a JSON object")
        }
        for key in object.keys where key != "requests" {
            throw RouterHTTPError.invalid("\(key): Extra inputs are not permitted")
        }
        guard let requests = object["requests"]?.arrayValue else { throw RouterHTTPError.invalid("requests: Field required") }
        guard !requests.isEmpty else { throw RouterHTTPError.invalid("requests: List should have at least 1 item") }
        guard requests.count <= Self.maxBatchRequests else {
            throw RouterHTTPError.invalid("requests: List should have at most \(Self.maxBatchRequests) items")
        }
        let now = clock.nowMillis()
        let day = Day(epochMillis: now)
        var seen = Set<String>()
        var routed: [JSONValue] = []
        var items: [(customID: String, metaJSON: String)] = []
        routed.reserveCapacity(requests.count)
        items.reserveCapacity(requests.count)
        var estimate = Money.zero
        for (index, item) in requests.enumerated() {
            let prepared = try prepareBatchItem(item, index: index, context: context, day: day, seen: &seen)
            routed.append(prepared.item)
            items.append((prepared.customID, prepared.meta))
            let (sum, overflow) = estimate.nanoUSD.addingReportingOverflow(prepared.estimate.nanoUSD)
            estimate = Money(nanoUSD: overflow ? Int64.max : sum)
        }
        let batchID = Self.newClientBatchID()
        try await holdClientBatch(batchID, client: context.client, estimate: estimate, nowMillis: now)
        let reply: UpstreamReply
        let answer: [UInt8]
        do {
            reply = try await batchUpstream(
                UpstreamCall(
                    method: "POST", path: BatchEndpoint.prefix,
                    headers: context.forwarded + [("content-type", "application/json")],
                    body: JSONValue.object(["requests": .array(routed)]).serialized()))
            answer = try await collectReply(reply)
        } catch {
            releaseClientBatch(batchID)
            throw error
        }
        guard (200..<300).contains(reply.status) else {
            releaseClientBatch(batchID)
            return upstreamError(reply, answer, context)
        }
        guard case .object(var batch) = try? JSONValue.parse(answer), let upstreamID = batch["id"]?.stringValue,
            BatchEndpoint.isValidID(upstreamID)
        else {
            // Not knowing its id, the router cannot cancel it: the hold stays, since the API may bill it.
            throw RouterHTTPError(.api, "The upstream answered the batch create call with an unreadable batch", status: 502)
        }
        let record = ClientBatch(
            id: batchID, client: context.client.name, upstreamBatchID: upstreamID, createdMillis: now,
            requestCount: requests.count, headers: HeaderSet(forwarded: context.forwarded).canonical)
        let stored = items
        do {
            try await context.store.run { queue throws(LedgerError) in try queue.insertClientBatch(record, items: stored) }
        } catch {
            // Not recorded means not owned by anyone: cancel it rather than leave an unbillable batch running.
            _ = try? await transport.send(
                UpstreamCall(method: "POST", path: "\(BatchEndpoint.prefix)/\(upstreamID)/cancel", headers: context.forwarded),
                tracedAs: "POST batches", by: tracer)
            releaseClientBatch(batchID)
            throw RouterHTTPError(.api, "The batch could not be recorded (it was canceled): \(error.message)")
        }
        logger.info(
            "batch created", metadata: ["batch": "\(record.id)", "client": "\(record.client)", "requests": "\(requests.count)"])
        rewrite(&batch, record: record, context: context)
        var headers = Self.passedHeaders(reply)
        headers[.routerRequestID] = context.requestID
        headers[.routerEstimatedCost] = estimate.exactDollars
        return Response.json(.object(batch), status: HTTPResponse.Status(code: reply.status), headers: headers)
    }

    /// One request of a create call, validated and routed.
    struct PreparedBatchItem {
        var customID: String
        /// `{"custom_id","params"}` with the routed model.
        var item: JSONValue
        /// What its ledger row is built from (`BatchItemMeta`).
        var meta: String
        /// Its estimated cost at batch price.
        var estimate: Money
    }

    /// Validates request `index` of a create call (its `custom_id`, and its params as strictly as a Messages body)
    /// and routes it for the client: the model it names (or its tier, or `auto`) resolved by the policy and checked
    /// against the client's tiers. Budgets are checked for the whole batch afterwards, not here.
    ///
    /// - Throws: 400 naming the request for a malformed one, the routing error's status (403 for a model the client
    ///   may not use, 404 for an unknown one) naming its `custom_id`.
    func prepareBatchItem(
        _ item: JSONValue, index: Int, context: BatchContext, day: Day, seen: inout Set<String>
    ) throws(RouterHTTPError) -> PreparedBatchItem {
        guard case .object(let entry) = item else { throw RouterHTTPError.invalid("requests.\(index): expected an object") }
        for key in entry.keys where key != "custom_id" && key != "params" {
            throw RouterHTTPError.invalid("requests.\(index).\(key): Extra inputs are not permitted")
        }
        guard let customID = entry["custom_id"]?.stringValue else {
            throw RouterHTTPError.invalid("requests.\(index).custom_id: Field required")
        }
        guard customID.utf8.count <= 64, BatchEndpoint.isValidID(customID) else {
            throw RouterHTTPError.invalid("requests.\(index).custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'")
        }
        guard seen.insert(customID).inserted else {
            throw RouterHTTPError.invalid("requests: custom_id values must be unique within a batch; '\(customID)' is repeated")
        }
        guard case .object(let params) = entry["params"] else {
            throw RouterHTTPError.invalid("requests.\(index).params (custom_id '\(customID)'): Field required")
        }
        if params["stream"]?.boolValue == true {
            throw RouterHTTPError.invalid("requests.\(index).params (custom_id '\(customID)'): stream is not supported in a batch")
        }
        var request: MessagesRequest
        do {
            request = try MessagesRequest(bytes: JSONValue.object(params).serialized())
        } catch {
            throw RouterHTTPError.invalid("requests.\(index).params (custom_id '\(customID)'): \(error.description)")
        }
        let policy = context.policy
        let decision: Decision
        do {
            decision = try RouterCore.Router.route(
                RoutingFeatures(request: request.raw, client: context.client.name), client: context.client,
                policy: policy, day: day)
        } catch {
            var refused = RouterHTTPError.routing(error)
            refused.message = "requests.\(index) (custom_id '\(customID)'): \(refused.message)"
            throw refused
        }
        request.model = decision.model
        var estimate = Money.zero
        if let model = policy.model(named: decision.model) {
            let baseline = policy.model(named: decision.baselineModel) ?? model
            estimate = Pricing.breakdown(usage: decision.estimatedUsage, model: model, baseline: baseline, on: day, batch: true)
                .cost
        }
        let meta = BatchItemMeta(
            requestID: context.requestID, taskType: decision.classification.taskType, model: decision.model,
            routing: RoutingFields(decision, policyHash: policy.contentHash))
        return PreparedBatchItem(
            customID: customID, item: .object(["custom_id": .string(customID), "params": .object(request.raw)]),
            meta: meta.text, estimate: estimate)
    }

    /// Reserves the estimated cost of a Message Batch a client submits through the pass-through (at batch price)
    /// under the router's batch id, checked against spend + everything reserved, atomically with other admissions:
    /// the one place such a batch meets the budget. The hold lasts until the batch's results are recorded
    /// (`releaseClientBatch`), since the API bills the batch whether or not anyone reads them. Holds live in memory:
    /// after a restart an unread batch holds nothing (docs/budgets.md).
    ///
    /// - Throws: 402 `budget_exceeded_error` when the batch would pass a hard limit (nothing stays reserved then).
    func holdClientBatch(_ id: String, client: ClientSpec, estimate: Money, nowMillis: Int64) async throws(RouterHTTPError) {
        do {
            try await holds.admit(
                id, client: client, taskType: "", estimate: estimate, nowMillis: nowMillis, deferred: true, spend: spend)
        } catch {
            throw RouterHTTPError.routing(error)
        }
    }

    /// Ends the hold of a client batch (its results are in the spend totals, or it was never created).
    func releaseClientBatch(_ id: String) { holds.release(id) }
}
