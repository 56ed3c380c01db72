import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore
import UsageLedger

extension PassThroughController {
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
        return Response.json(
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
        return Response.json(.object(batch), headers: headers)
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
        return Response.json(.object(["id": .string(id), "type": "message_batch_deleted"]), headers: headers)
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
    var model: String
    var routing: RoutingFields

    var text: String {
        String(
            decoding: JSONValue.object([
                "request_id": .string(requestID), "task_type": .string(taskType),
                "confidence_millis": .number(JSONNumber(routing.confidenceMillis)),
                "classifier_reason": .string(routing.classifierReason),
                "requested_model": .string(routing.requestedModel), "model": .string(model),
                "baseline_model": .string(routing.baselineModel), "tier": .string(routing.tier),
                "policy_hash": .string(routing.policyHash),
            ]).serialized(), as: UTF8.self)
    }

}

extension BatchItemMeta {
    /// Reads the stored text back; nil when it is not an object.
    init?(text: String) {
        guard case .object(let o) = try? JSONValue.parse(Array(text.utf8)) else { return nil }
        requestID = o["request_id"]?.stringValue ?? ""
        taskType = o["task_type"]?.stringValue ?? ""
        model = o["model"]?.stringValue ?? ""
        routing = RoutingFields(topLevelOf: o, absentConfidence: 0)
    }
}
