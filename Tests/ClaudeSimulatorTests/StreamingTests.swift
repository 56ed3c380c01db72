import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct StreamingTests {
    @Test func eventsComeInTheAPIOrderWithCumulativeUsage() async throws {
        try await SimulatorHarness().run { client async throws in
            var streamBody = Body.message().objectValue!
            streamBody["stream"] = true
            let headers = ["x-sim-output-tokens": "30"]
            let plain = try await client.call(.post, "/v1/messages", Body.message(), headers: headers)
            let reply = try await client.call(.post, "/v1/messages", .object(streamBody), headers: headers)
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/event-stream; charset=utf-8")
            #expect(reply.header("cache-control") == "no-cache")
            let events = reply.events
            let names = events.map(\.0)
            #expect(names.first == "message_start")
            #expect(Array(names.prefix(3)) == ["message_start", "content_block_start", "ping"])
            #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            #expect(names.filter { $0 == "content_block_delta" }.count >= 2)
            for (name, data) in events { #expect(data["type"] == .string(name)) }

            let start = events[0].1["message"]
            #expect(start?["stop_reason"] == .null)
            #expect(start?["content"] == [])
            #expect(start?.int("usage", "output_tokens") == 1)
            let text = events.filter { $0.0 == "content_block_delta" }.compactMap { $0.1["delta"]?["text"]?.stringValue }.joined()
            #expect(text == plain.json["content"]?.arrayValue?.first?["text"]?.stringValue)
            let delta = events.first { $0.0 == "message_delta" }?.1
            #expect(delta?["delta"]?["stop_reason"] == "end_turn")
            #expect(delta?.int("usage", "output_tokens") == 30)
            #expect(delta?.int("usage", "input_tokens") == plain.json.int("usage", "input_tokens"))
        }
    }

    @Test func toolUseStreamsPartialJSON() async throws {
        let tools: JSONValue = [["name": "f", "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]]]]
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages", Body.message(extra: ["tools": tools, "tool_choice": ["type": "any"], "stream": true]))
            let events = reply.events
            let start = events.first { $0.0 == "content_block_start" }?.1["content_block"]
            #expect(start?["type"] == "tool_use")
            #expect(start?["input"] == [:])
            let json = events.compactMap { $0.1["delta"]?["partial_json"]?.stringValue }.joined()
            #expect((try? JSONValue.parse(json))?["city"]?.stringValue != nil)
            #expect(events.first { $0.0 == "message_delta" }?.1["delta"]?["stop_reason"] == "tool_use")
        }
    }

    @Test func injectedStreamErrorArrivesAfterTheOK() async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages", Body.message(extra: ["stream": true]), headers: ["x-sim-fault": "stream-error"])
            #expect(reply.status == 200)
            let names = reply.events.map(\.0)
            #expect(names.last == "error")
            #expect(names.contains("content_block_delta"))
            #expect(!names.contains("message_stop"))
            #expect(reply.events.last?.1["error"]?["type"] == "overloaded_error")
        }
    }
}
