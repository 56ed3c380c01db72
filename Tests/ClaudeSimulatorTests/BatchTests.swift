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
