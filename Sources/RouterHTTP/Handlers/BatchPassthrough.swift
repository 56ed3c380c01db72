import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
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
extension RouterService {
    /// `/v1/messages/batches…`, any method.
    func handleBatches(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = newRequestID()
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
        var out = forwardedHeaders(headers)
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
        let body = try await collect(request)
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
        return Self.json(.object(batch), status: HTTPResponse.Status(code: reply.status), headers: headers)
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
            var refused = Self.httpError(error)
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
            requestID: context.requestID, taskType: decision.classification.taskType,
            confidenceMillis: decision.classification.confidenceMillis,
            classifierReason: decision.classification.reason, requestedModel: decision.requestedModel,
            model: decision.model, baselineModel: decision.baselineModel, tier: decision.tier.rawValue,
            policyHash: policy.contentHash)
        return PreparedBatchItem(
            customID: customID, item: .object(["custom_id": .string(customID), "params": .object(request.raw)]),
            meta: meta.text, estimate: estimate)
    }

    // MARK: - List, retrieve, cancel, delete

    func listBatches(_ request: Request, _ context: BatchContext) async throws(RouterHTTPError) -> Response {
        let query = request.uri.queryParameters
        var limit = 20
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw RouterHTTPError.invalid("limit: Input should be an integer between 1 and 1000")
            }
            limit = value
        }
        let afterID = query["after_id"].map(String.init)
        let beforeID = query["before_id"].map(String.init)
        for (name, value) in [("after_id", afterID), ("before_id", beforeID)] {
            if let value, !BatchEndpoint.isValidID(value) { throw RouterHTTPError.invalid("\(name): invalid batch id") }
        }
        if afterID != nil, beforeID != nil {
            throw RouterHTTPError.invalid("before_id and after_id cannot both be given")
        }
        let name = context.client.name
        let size = limit
        let page: [ClientBatch]
        do {
            page = try await context.store.run { queue throws(LedgerError) in
                try queue.clientBatches(client: name, afterID: afterID, beforeID: beforeID, limit: size)
            }
        } catch {
            throw RouterHTTPError(.api, "The batch store is unavailable: \(error.message)")
        }
        let hasMore = page.count > limit
        let shown = beforeID != nil ? Array(page.suffix(limit)) : Array(page.prefix(limit))
        var data: [JSONValue] = []
        for record in shown {
            var batch: JSONObject
            do throws(RouterHTTPError) {
                switch try await upstreamBatch(record, "GET", context) {
                case .failed(let response): return response
                case .batch(let object, _): batch = object
                }
            } catch where error.status == .notFound {
                // A batch gone upstream (deleted there, or aged out) is left out; any other failure fails the page.
                continue
            }
            rewrite(&batch, record: record, context: context)
            data.append(.object(batch))
        }
        var headers: HTTPFields = [:]
        headers[.routerRequestID] = context.requestID
        return Self.json(
            .object([
                "data": .array(data), "has_more": .bool(hasMore),
                "first_id": data.first?["id"] ?? .null, "last_id": data.last?["id"] ?? .null,
            ]), headers: headers)
    }

    /// Retrieve (`GET`, no suffix) or cancel (`POST`, `/cancel`) one of the client's batches.
    func batchCall(_ id: String, _ method: String, suffix: String, _ context: BatchContext) async throws(RouterHTTPError)
        -> Response
    {
        let record = try await ownedBatch(id, context)
        var batch: JSONObject
        let reply: UpstreamReply
        switch try await upstreamBatch(record, method, suffix: suffix, context) {
        case .failed(let response): return response
        case .batch(let object, let answer): (batch, reply) = (object, answer)
        }
        rewrite(&batch, record: record, context: context)
        var headers = Self.passedHeaders(reply)
        headers[.routerRequestID] = context.requestID
        return Self.json(.object(batch), headers: headers)
    }

    func deleteBatch(_ id: String, _ context: BatchContext) async throws(RouterHTTPError) -> Response {
        let record = try await ownedBatch(id, context)
        let reply: UpstreamReply
        switch try await upstreamBatch(record, "DELETE", context) {
        case .failed(let response): return response
        case .batch(_, let answer): reply = answer
        }
        let name = context.client.name
        do {
            _ = try await context.store.run { queue throws(LedgerError) in try queue.deleteClientBatch(id: id, client: name) }
        } catch {
            throw RouterHTTPError(.api, "The batch was deleted upstream but not in the router's store: \(error.message)")
        }
        var headers = Self.passedHeaders(reply)
        headers[.routerRequestID] = context.requestID
        return Self.json(.object(["id": .string(id), "type": "message_batch_deleted"]), headers: headers)
    }

    // MARK: - Helpers

    /// What the upstream said about one of the client's batches.
    enum UpstreamBatchAnswer {
        /// A 2xx with a batch object (the deleted marker for `DELETE`), and the reply for its headers.
        case batch(JSONObject, UpstreamReply)
        /// Anything else, as the client gets it: a 404 as the router's own, other errors passed on.
        case failed(Response)
    }

    /// Calls `method` on `record`'s upstream batch (`suffix`: `""`, `/cancel`).
    ///
    /// - Throws: 404 when the upstream no longer has it (the same as an unknown id), 502 when it cannot be reached
    ///   or answers with something that is not an object.
    func upstreamBatch(_ record: ClientBatch, _ method: String, suffix: String = "", _ context: BatchContext)
        async throws(RouterHTTPError) -> UpstreamBatchAnswer
    {
        let reply = try await batchUpstream(
            UpstreamCall(
                method: method, path: "\(BatchEndpoint.prefix)/\(record.upstreamBatchID)\(suffix)",
                headers: context.forwarded))
        let answer = try await collectReply(reply)
        guard (200..<300).contains(reply.status) else {
            if reply.status == 404 { throw Self.batchNotFound(record.id) }
            return .failed(upstreamError(reply, answer, context, record: record))
        }
        guard case .object(let batch) = try? JSONValue.parse(answer) else {
            throw RouterHTTPError(.api, "The upstream answered with an unreadable batch", status: 502)
        }
        return .batch(batch, reply)
    }

    /// The client's batch `id`, or the 404 an unknown id gets (the same for another client's, a router deferral
    /// batch, or an upstream id).
    func ownedBatch(_ id: String, _ context: BatchContext) async throws(RouterHTTPError) -> ClientBatch {
        let name = context.client.name
        let found: ClientBatch?
        do {
            found = try await context.store.run { queue throws(LedgerError) in try queue.clientBatch(id: id, client: name) }
        } catch {
            throw RouterHTTPError(.api, "The batch store is unavailable: \(error.message)")
        }
        guard let found else { throw Self.batchNotFound(id) }
        return found
    }

    static func batchNotFound(_ id: String) -> RouterHTTPError {
        RouterHTTPError(.notFound, "message_batch: \(id) not found")
    }

    /// The router's view of a batch object: its id, and `results_url` on the router (only when the API has one).
    func rewrite(_ batch: inout JSONObject, record: ClientBatch, context: BatchContext) {
        batch["id"] = .string(record.id)
        if let url = batch["results_url"], !url.isNull {
            batch["results_url"] = .string("\(context.routerBase)\(BatchEndpoint.prefix)/\(record.id)/results")
        }
    }

    /// An upstream error passed on in the API's shape, its status and retry headers kept, with the upstream batch id
    /// (if it appears) replaced by the router's.
    func upstreamError(
        _ reply: UpstreamReply, _ body: [UInt8], _ context: BatchContext, record: ClientBatch? = nil
    ) -> Response {
        var text = String(decoding: body, as: UTF8.self)
        if let record { text = text.replacingOccurrences(of: record.upstreamBatchID, with: record.id) }
        var headers = Self.passedHeaders(reply)
        headers[.routerRequestID] = context.requestID
        headers[.contentType] = "application/json"
        if ErrorResponse(bytes: Array(text.utf8)) == nil {
            return RouterHTTPError(
                .api, "The upstream answered \(reply.status)", status: reply.status >= 400 ? reply.status : 502,
                headers: headers
            ).response(requestID: context.requestID)
        }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// One batch call upstream (the transport adds the router's key).
    func batchUpstream(_ call: UpstreamCall) async throws(RouterHTTPError) -> UpstreamReply {
        do {
            return try await transport.send(call, tracedAs: "\(call.method) batches", by: tracer)
        } catch let error as UpstreamTransportError {
            throw RouterHTTPError(.api, "the upstream could not be reached (\(error.kind.rawValue))", status: 502)
        } catch {
            throw RouterHTTPError(.api, "the upstream could not be reached", status: 502)
        }
    }

    /// A batch object or error body, bounded.
    func collectReply(_ reply: UpstreamReply) async throws(RouterHTTPError) -> [UInt8] {
        do {
            return try await reply.collectBody(upTo: 8 << 20)
        } catch {
            throw RouterHTTPError(.api, "the upstream's answer could not be read", status: 502)
        }
    }

    /// The upstream headers a client of a batch call gets: rate limits, retry advice and the API's request id.
    static func passedHeaders(_ reply: UpstreamReply) -> HTTPFields {
        var fields: HTTPFields = [:]
        for (name, value) in reply.headers {
            let lowered = name.lowercased()
            guard lowered == "retry-after" || lowered == "x-should-retry" || lowered == "request-id"
                || lowered.hasPrefix("anthropic-ratelimit-"),
                let field = HTTPField.Name(lowered)
            else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        return fields
    }

    static func newClientBatchID() -> String {
        var rng = SystemRandomNumberGenerator()
        return "msgbatch_rtr" + String(rng.next() as UInt64, radix: 36) + String(rng.next() as UInt64, radix: 36)
    }
}

/// What one request of a client batch needs for its ledger row, stored with the batch.
struct BatchItemMeta: Sendable, Hashable {
    var requestID: String
    var taskType: String
    var confidenceMillis: Int
    var classifierReason: String
    var requestedModel: String
    var model: String
    var baselineModel: String
    var tier: String
    var policyHash: String

    var text: String {
        String(
            decoding: JSONValue.object([
                "request_id": .string(requestID), "task_type": .string(taskType),
                "confidence_millis": .number(JSONNumber(confidenceMillis)),
                "classifier_reason": .string(classifierReason), "requested_model": .string(requestedModel),
                "model": .string(model), "baseline_model": .string(baselineModel), "tier": .string(tier),
                "policy_hash": .string(policyHash),
            ]).serialized(), as: UTF8.self)
    }

}

extension BatchItemMeta {
    /// Reads the stored text back; nil when it is not an object.
    init?(text: String) {
        guard case .object(let o) = try? JSONValue.parse(Array(text.utf8)) else { return nil }
        requestID = o["request_id"]?.stringValue ?? ""
        taskType = o["task_type"]?.stringValue ?? ""
        confidenceMillis = o["confidence_millis"]?.intValue ?? 0
        classifierReason = o["classifier_reason"]?.stringValue ?? ""
        requestedModel = o["requested_model"]?.stringValue ?? ""
        model = o["model"]?.stringValue ?? ""
        baselineModel = o["baseline_model"]?.stringValue ?? ""
        tier = o["tier"]?.stringValue ?? ""
        policyHash = o["policy_hash"]?.stringValue ?? ""
    }
}
