import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird

extension ClaudeSimulator {
    func addBatchRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/messages/batches") { request, _ in try await self.createBatch(request) }
        router.get("/v1/messages/batches") { request, _ in
            let now = self.clock.now()
            let base = Self.baseURL(request)
            let all = self.batches.all().map { self.batchJSON($0, now: now, baseURL: base) }
            return Self.json(try Self.page(all, query: request.uri.queryParameters))
        }
        router.get("/v1/messages/batches/{id}") { request, context in
            let batch = try self.requireBatch(try context.parameters.require("id"))
            return Self.json(self.batchJSON(batch, now: self.clock.now(), baseURL: Self.baseURL(request)))
        }
        router.post("/v1/messages/batches/{id}/cancel") { request, context in
            let id = try context.parameters.require("id")
            guard let batch = self.batches.cancel(id, at: self.clock.now()) else { throw Self.batchNotFound(id) }
            return Self.json(self.batchJSON(batch, now: self.clock.now(), baseURL: Self.baseURL(request)))
        }
        router.delete("/v1/messages/batches/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard try self.batches.delete(id, at: self.clock.now()) else { throw Self.batchNotFound(id) }
            return Self.json(["id": .string(id), "type": "message_batch_deleted"])
        }
        addBatchFaultRoutes(to: router)
        router.get("/v1/messages/batches/{id}/results") { _, context in
            let batch = try self.requireBatch(try context.parameters.require("id"))
            let now = self.clock.now()
            guard batch.status(at: now) == "ended" else {
                throw SimulatorError.invalidRequest("Message Batch \(batch.id) has not yet ended; results are available once processing_status is 'ended'.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/binary"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.resultsJSONL(batch))))
        }
    }

    /// `/_sim/batch-faults`: rules that force batch results by `custom_id` prefix (`POST` adds one, `GET` lists,
    /// `DELETE` clears). Not part of the Claude API; no key needed.
    func addBatchFaultRoutes(to router: Router<BasicRequestContext>) {
        router.post("/_sim/batch-faults") { request, _ in
            let body = try await self.jsonBody(request, limit: 64 * 1_024)
            guard let prefix = body["prefix"]?.stringValue else { throw SimulatorError.invalidRequest("prefix: Field required") }
            guard let outcome = body["outcome"]?.stringValue, ["errored", "expired", "canceled", "succeeded"].contains(outcome)
            else { throw SimulatorError.invalidRequest("outcome: expected errored, expired, canceled or succeeded") }
            let times = body["times"]?.intValue ?? 1
            guard times >= 1 else { throw SimulatorError.invalidRequest("times: must be at least 1") }
            self.batches.addRule(BatchStore.FaultRule(prefix: prefix, outcome: outcome, remaining: times))
            return Self.json(["prefix": .string(prefix), "outcome": .string(outcome), "times": .number(JSONNumber(times))])
        }
        router.get("/_sim/batch-faults") { _, _ in
            let rules: [JSONValue] = self.batches.rules().map {
                ["prefix": .string($0.prefix), "outcome": .string($0.outcome), "remaining": .number(JSONNumber($0.remaining))]
            }
            return Self.json(["data": .array(rules)])
        }
        router.delete("/_sim/batch-faults") { _, _ in
            self.batches.removeRules()
            return Self.json(["removed": true])
        }
    }

    static func batchNotFound(_ id: String) -> SimulatorError { .notFound("message_batch: \(id) not found") }

    func requireBatch(_ id: String) throws(SimulatorError) -> BatchStore.Batch {
        guard let batch = batches.batch(id) else { throw Self.batchNotFound(id) }
        return batch
    }

    /// `http://host:port` as the client addressed us, for `results_url`.
    static func baseURL(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "127.0.0.1")
    }

    func createBatch(_ request: Request) async throws -> Response {
        let body = try await jsonBody(request, limit: 256 * 1_024 * 1_024)
        guard let requests = body["requests"]?.arrayValue else { throw SimulatorError.invalidRequest("requests: Field required") }
        guard !requests.isEmpty else { throw SimulatorError.invalidRequest("requests: List should have at least 1 item") }
        guard requests.count <= 100_000 else { throw SimulatorError.invalidRequest("requests: List should have at most 100000 items") }
        var seen = Set<String>()
        for (i, item) in requests.enumerated() {
            guard let id = item["custom_id"]?.stringValue else { throw SimulatorError.invalidRequest("requests.\(i).custom_id: Field required") }
            let valid = (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            }
            guard valid else { throw SimulatorError.invalidRequest("requests.\(i).custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'") }
            guard seen.insert(id).inserted else {
                throw SimulatorError.invalidRequest("requests: custom_id values must be unique within a batch; '\(id)' is repeated")
            }
            guard item["params"]?.objectValue != nil else { throw SimulatorError.invalidRequest("requests.\(i).params: Field required") }
        }
        var forced = batches.takeForcedOutcomes(requests.map { $0["custom_id"]?.stringValue ?? "" })
        // The header names exact ids and wins over the installed rules.
        forced.merge(try Self.forcedOutcomes(request.headers[.simBatchOutcome])) { _, header in header }
        let scope = scope(request)
        let options = try options(request, scope: scope.cache)
        let now = clock.now()
        let count = Double(requests.count)
        var items: [BatchStore.Item] = []
        items.reserveCapacity(requests.count)
        for (k, item) in requests.enumerated() {
            let customID = item["custom_id"]?.stringValue ?? ""
            let finishesAt = now + config.batchProcessingSeconds * Double(k + 1) / count
            items.append(BatchStore.Item(customID: customID, finishesAt: finishesAt, result: batchResult(item["params"] ?? .null, scope: scope.cache, options: options, now: now)))
        }
        let batch = BatchStore.Batch(id: ids.next("msgbatch"), createdAt: now, items: items, cancelInitiatedAt: nil, forcedOutcomes: forced, order: 0)
        batches.insert(batch)
        return Self.json(batchJSON(batch, now: now, baseURL: Self.baseURL(request)))
    }

    /// Runs one batch request now; params are validated here, so invalid ones become `errored` results.
    func batchResult(_ params: JSONValue, scope: String, options: MessageEngine.Options, now: Double) -> JSONValue {
        do {
            let prepared = try engine.prepare(params, endpoint: .batch, scope: scope)
            let plan = engine.plan(prepared, now: now)
            engine.cache.commit(plan)
            let message = engine.answer(prepared, plan: plan, options: options)
            return ["type": "succeeded", "message": message.json(serviceTier: "batch")]
        } catch {
            return Self.erroredResult(error)
        }
    }

    static func erroredResult(_ error: SimulatorError) -> JSONValue {
        ["type": "errored", "error": error.body(requestID: RequestIDs.next())]
    }

    /// `x-sim-batch-outcome: id1=errored,id2=expired,id3=canceled` forces those results.
    static func forcedOutcomes(_ header: String?) throws(SimulatorError) -> [String: String] {
        guard let header else { return [:] }
        var outcomes: [String: String] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, ["errored", "expired", "canceled", "succeeded"].contains(pair[1]) else {
                throw .invalidRequest("x-sim-batch-outcome: expected custom_id=errored|expired|canceled|succeeded, got '\(part)'")
            }
            outcomes[pair[0]] = pair[1]
        }
        return outcomes
    }

    func batchJSON(_ batch: BatchStore.Batch, now: Double, baseURL: String) -> JSONValue {
        let status = batch.status(at: now)
        var counts: [String: Int] = ["processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0]
        if status == "ended" {
            for item in batch.items { counts[batch.outcome(item), default: 0] += 1 }
        } else {
            counts["processing"] = batch.items.count
        }
        func n(_ key: String) -> JSONValue { .number(JSONNumber(counts[key] ?? 0)) }
        return [
            "id": .string(batch.id),
            "type": "message_batch",
            "processing_status": .string(status),
            "request_counts": [
                "processing": n("processing"), "succeeded": n("succeeded"), "errored": n("errored"),
                "canceled": n("canceled"), "expired": n("expired"),
            ],
            "ended_at": status == "ended" ? .string(RFC3339.format(batch.endsAt, fractional: true)) : .null,
            "created_at": .string(RFC3339.format(batch.createdAt, fractional: true)),
            "expires_at": .string(RFC3339.format(batch.expiresAt, fractional: true)),
            "cancel_initiated_at": batch.cancelInitiatedAt.map { .string(RFC3339.format($0, fractional: true)) } ?? .null,
            "archived_at": .null,
            "results_url": status == "ended" ? .string("\(baseURL)/v1/messages/batches/\(batch.id)/results") : .null,
        ]
    }

    /// One JSON line per request, in a seeded shuffled order (the API guarantees no order).
    func resultsJSONL(_ batch: BatchStore.Batch) -> [UInt8] {
        var generator = SeededGenerator(seed: config.seed ^ batch.order &* 0x9E37_79B9)
        var out: [UInt8] = []
        for item in batch.items.shuffled(using: &generator) {
            let result: JSONValue
            switch batch.outcome(item) {
            case "canceled": result = ["type": "canceled"]
            case "expired": result = ["type": "expired"]
            case "errored" where item.result["type"]?.stringValue != "errored":
                result = Self.erroredResult(.forStatus(500))
            case "succeeded" where item.result["type"]?.stringValue != "succeeded":
                result = item.result
            default: result = item.result
            }
            let line: JSONValue = ["custom_id": .string(item.customID), "result": result]
            line.write(into: &out)
            out.append(0x0A)
        }
        return out
    }
}
