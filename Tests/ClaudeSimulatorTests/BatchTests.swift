import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct BatchTests {
    func request(_ id: String, model: String = "claude-haiku-4-5") -> JSONValue {
        ["custom_id": .string(id), "params": Body.message(model: model, maxTokens: 50)]
    }

    @Test func lifecycleFromCreateToResultsToDelete() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(batchSeconds: 100))
        try await h.run { client async throws in
            let body: JSONValue = ["requests": [request("ok-1"), request("bad-model", model: "claude-nope"), request("late")]]
            let created = try await client.call(.post, "/v1/messages/batches", body, headers: ["x-sim-batch-outcome": "late=expired"])
            #expect(created.status == 200)
            let id = created.json["id"]?.stringValue ?? ""
            #expect(id.hasPrefix("msgbatch_"))
            #expect(created.json["processing_status"] == "in_progress")
            #expect(created.json.int("request_counts", "processing") == 3)
            #expect(created.json["results_url"] == .null)
            #expect(try await client.call(.get, "/v1/messages/batches/\(id)/results").status == 400)
            #expect(try await client.call(.delete, "/v1/messages/batches/\(id)").status == 400)

            h.clock.advance(by: 101)
            let ended = try await client.call(.get, "/v1/messages/batches/\(id)")
            #expect(ended.json["processing_status"] == "ended")
            #expect(ended.json["request_counts"] == ["processing": 0, "succeeded": 1, "errored": 1, "canceled": 0, "expired": 1])
            #expect(ended.json["results_url"]?.stringValue?.hasSuffix("/v1/messages/batches/\(id)/results") == true)

            let results = try await client.call(.get, "/v1/messages/batches/\(id)/results")
            let lines = results.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            #expect(lines.count == 3)
            let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0["custom_id"]?.stringValue ?? "", $0["result"] ?? .null) })
            #expect(byID["ok-1"]?["type"] == "succeeded")
            #expect(byID["ok-1"]?["message"]?["usage"]?["service_tier"] == "batch")
            #expect(byID["bad-model"]?["type"] == "errored")
            #expect(byID["bad-model"]?["error"]?["error"]?["type"] == "not_found_error")
            #expect(byID["late"] == ["type": "expired"])

            let list = try await client.call(.get, "/v1/messages/batches")
            #expect(list.json["first_id"] == .string(id))
            #expect(try await client.call(.delete, "/v1/messages/batches/\(id)").json == ["id": .string(id), "type": "message_batch_deleted"])
            #expect(try await client.call(.get, "/v1/messages/batches/\(id)").status == 404)
        }
    }

    @Test func cancelKeepsFinishedResultsAndCancelsTheRest() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(batchSeconds: 100))
        try await h.run { client async throws in
            let body: JSONValue = ["requests": .array((0..<4).map { request("r\($0)") })]
            let id = try await client.call(.post, "/v1/messages/batches", body).json["id"]?.stringValue ?? ""
            h.clock.advance(by: 30)  // r0 finished at 25 s
            let canceling = try await client.call(.post, "/v1/messages/batches/\(id)/cancel")
            #expect(canceling.json["processing_status"] == "canceling")
            #expect(canceling.json["cancel_initiated_at"] != .null)
            h.clock.advance(by: 2)
            let ended = try await client.call(.get, "/v1/messages/batches/\(id)")
            #expect(ended.json["processing_status"] == "ended")
            #expect(ended.json.int("request_counts", "succeeded") == 1)
            #expect(ended.json.int("request_counts", "canceled") == 3)
        }
    }

    @Test(arguments: [
        (["requests": [["custom_id": "has space", "params": [:]]]] as JSONValue, "custom_id: String should match pattern"),
        (["requests": [["custom_id": "a", "params": [:]], ["custom_id": "a", "params": [:]]]] as JSONValue, "unique"),
        (["requests": []] as JSONValue, "at least 1"),
    ])
    func invalidBatchesAreRejected(body: JSONValue, message: String) async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages/batches", body)
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["message"]?.stringValue?.contains(message) == true)
        }
    }
}

@Suite struct BatchFaultRuleTests {
    func request(_ id: String) -> JSONValue {
        ["custom_id": .string(id), "params": Body.message(model: "claude-haiku-4-5", maxTokens: 20)]
    }

    @Test func aRuleForcesAnOutcomeOnMatchingIDsForItsCountAcrossBatches() async throws {
        let h = SimulatorHarness(config: SimulatorHarness.smallCacheConfig(batchSeconds: 10))
        try await h.run { client async throws in
            let installed = try await client.call(
                .post, "/_sim/batch-faults", ["prefix": "task_a", "outcome": "errored", "times": 1])
            #expect(installed.status == 200)
            #expect(try await client.call(.post, "/_sim/batch-faults", ["prefix": "x", "outcome": "lost"]).status == 400)

            let first = try await client.call(
                .post, "/v1/messages/batches", ["requests": [request("task_a1"), request("task_b1")]])
            let second = try await client.call(.post, "/v1/messages/batches", ["requests": [request("task_a2")]])
            h.clock.advance(by: 11)
            func outcomes(_ created: Reply) async throws -> [String: String] {
                let id = created.json["id"]?.stringValue ?? ""
                let lines = try await client.call(.get, "/v1/messages/batches/\(id)/results").text.split(separator: "\n")
                var byID: [String: String] = [:]
                for line in lines {
                    let value = try JSONValue.parse(String(line))
                    byID[value["custom_id"]?.stringValue ?? ""] = value["result"]?["type"]?.stringValue
                }
                return byID
            }
            #expect(try await outcomes(first) == ["task_a1": "errored", "task_b1": "succeeded"])
            // The rule was used up by the first batch.
            #expect(try await outcomes(second) == ["task_a2": "succeeded"])
            #expect(try await client.call(.get, "/_sim/batch-faults").json["data"] == .array([]))
        }
    }
}
