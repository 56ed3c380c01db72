import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct MessagesTests {
    @Test func responseHasTheAPIShape() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(model: "claude-sonnet-4-5"))
            #expect(reply.status == 200)
            let m = reply.json
            #expect(m["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(m["type"] == "message")
            #expect(m["role"] == "assistant")
            #expect(m["model"] == "claude-sonnet-4-5-20250929")
            #expect(m["content"]?.arrayValue?.first?["type"] == "text")
            #expect(m["stop_reason"] == "end_turn")
            #expect(m["stop_sequence"] == .null)
            #expect(m.int("usage", "input_tokens") == 9)  // framing 3 + "Hello, world!" 6
            #expect(m.int("usage", "cache_creation", "ephemeral_5m_input_tokens") == 0)
            #expect(m["usage"]?["service_tier"] == "standard")
            #expect(reply.header("request-id")?.hasPrefix("req_") == true)
            #expect(reply.header("content-type") == "application/json")
            #expect(reply.header("anthropic-ratelimit-requests-limit") == "5000")
            #expect(reply.header("anthropic-ratelimit-requests-remaining") == "4999")
        }
    }

    @Test func outputIsDeterministicForARequestAndSeed() async throws {
        let body = Body.message(text: "Summarise the report.")
        let a = try await SimulatorHarness().run { try await $0.call(.post, "/v1/messages", body).json["content"] }
        let b = try await SimulatorHarness().run { try await $0.call(.post, "/v1/messages", body).json["content"] }
        let other = try await SimulatorHarness(config: SimulatorConfig(seed: 99)).run { try await $0.call(.post, "/v1/messages", body).json["content"] }
        #expect(a == b)
        #expect(a != other)
    }

    @Test func outputLengthIsSteeredByHeader() async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-output-tokens": "37"])
            #expect(reply.json.int("usage", "output_tokens") == 37)
            #expect(Tokenizer.count(reply.json["content"]?.arrayValue?.first?["text"]?.stringValue ?? "") == 37)
            #expect(reply.json["stop_reason"] == "end_turn")
        }
    }

    @Test func stopsAtMaxTokens() async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(maxTokens: 10), headers: ["x-sim-output-tokens": "50"])
            #expect(reply.json["stop_reason"] == "max_tokens")
            #expect(reply.json.int("usage", "output_tokens") == 10)
        }
    }

    @Test func maxTokensZeroPrewarmsWithoutOutput() async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(maxTokens: 0))
            #expect(reply.status == 200)
            #expect(reply.json["content"] == [])
            #expect(reply.json["stop_reason"] == "max_tokens")
            #expect(reply.json.int("usage", "output_tokens") == 0)
        }
    }

    @Test func forcedToolChoiceAnswersWithInputThatFitsTheSchema() async throws {
        let tool: JSONValue = [
            "name": "get_weather", "description": "Weather for a place",
            "input_schema": [
                "type": "object",
                "properties": [
                    "location": ["type": "string"], "unit": ["type": "string", "enum": ["celsius", "fahrenheit"]],
                    "days": ["type": "integer", "minimum": 1, "maximum": 7],
                ],
                "required": ["location"],
            ],
        ]
        let body = Body.message(extra: ["tools": [tool], "tool_choice": ["type": "any"]])
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body)
            #expect(reply.json["stop_reason"] == "tool_use")
            let block = reply.json["content"]?.arrayValue?.first
            #expect(block?["type"] == "tool_use")
            #expect(block?["id"]?.stringValue?.hasPrefix("toolu_") == true)
            #expect(block?["name"] == "get_weather")
            #expect(block?["input"]?["location"]?.stringValue != nil)
            #expect(["celsius", "fahrenheit"].contains(block?["input"]?["unit"]?.stringValue ?? ""))
            #expect((1...7).contains(block?["input"]?["days"]?.intValue ?? 0))
            // Tools cost input: the any/tool overhead (588 on Sonnet 4.5) plus the definition.
            #expect((reply.json.int("usage", "input_tokens") ?? 0) > 588)

            // A tool round trip validates and answers with text.
            let id = block?["id"] ?? .null
            var next = body.objectValue!
            next["tool_choice"] = ["type": "auto"]
            next["messages"] = [
                ["role": "user", "content": "Weather?"],
                ["role": "assistant", "content": [block ?? .null]],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": id, "content": "Sunny"]]],
            ]
            let answer = try await client.call(.post, "/v1/messages", .object(next))
            #expect(answer.status == 200)
            #expect(answer.json["stop_reason"] == "end_turn")
        }
    }

    @Test func headerForcesAToolWithAutoChoice() async throws {
        let tools: JSONValue = [
            ["name": "a", "input_schema": ["type": "object", "properties": [:]]],
            ["name": "b", "input_schema": ["type": "object", "properties": ["q": ["type": "string"]]]],
        ]
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(extra: ["tools": tools]), headers: ["x-sim-tool-use": "b"])
            #expect(reply.json["content"]?.arrayValue?.first?["name"] == "b")
        }
    }

    @Test func stopSequenceEndsTheText() async throws {
        try await SimulatorHarness().run { client async throws in
            let plain = try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-output-tokens": "40"])
            let text = plain.json["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            let stop = String(text.split(separator: " ")[5])
            let reply = try await client.call(
                .post, "/v1/messages", Body.message(extra: ["stop_sequences": [.string(stop)]]), headers: ["x-sim-output-tokens": "40"])
            #expect(reply.json["stop_reason"] == "stop_sequence")
            #expect(reply.json["stop_sequence"] == .string(stop))
            #expect(reply.json["content"]?.arrayValue?.first?["text"]?.stringValue?.contains(stop) == false)
        }
    }

    static let invalid: [(String, JSONValue, Int, String)] = [
        ("no model", ["max_tokens": 10, "messages": [["role": "user", "content": "hi"]]], 400, "model: Field required"),
        ("unknown model", Body.message(model: "claude-nope"), 404, "model: claude-nope"),
        ("no max_tokens", ["model": "claude-sonnet-4-5", "messages": [["role": "user", "content": "hi"]]], 400, "max_tokens: Field required"),
        ("max_tokens too large", Body.message(maxTokens: 64_001), 400, "64001 > 64000"),
        ("empty messages", ["model": "claude-sonnet-4-5", "max_tokens": 10, "messages": []], 400, "at least one message"),
        ("bad role", ["model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [["role": "bot", "content": "hi"]]], 400, "messages.0.role"),
        (
            "orphan tool_result",
            ["model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_x"]]]]],
            400, "messages.0.content.0: unexpected `tool_use_id`"
        ),
        (
            "tool_use without result",
            [
                "model": "claude-sonnet-4-5", "max_tokens": 10,
                "messages": [
                    ["role": "user", "content": "hi"],
                    ["role": "assistant", "content": [["type": "tool_use", "id": "toolu_1", "name": "f", "input": [:]]]],
                    ["role": "user", "content": "and?"],
                ],
            ], 400, "without `tool_result` blocks"
        ),
        (
            "five breakpoints",
            Body.message(extra: ["system": .array((0..<5).map { _ in Body.systemBlock("x", ttl: "5m") })]),
            400, "A maximum of 4 blocks with cache_control may be provided. Found 5."
        ),
        (
            "prefill on Opus 4.6",
            ["model": "claude-opus-4-6", "max_tokens": 10, "messages": [["role": "user", "content": "hi"], ["role": "assistant", "content": "Sure"]]],
            400, "prefill"
        ),
        ("temperature on Opus 4.7", Body.message(model: "claude-opus-4-7", extra: ["temperature": 0.2]), 400, "temperature"),
        ("stream with max_tokens 0", Body.message(maxTokens: 0, extra: ["stream": true]), 400, "stream"),
    ]

    @Test(arguments: invalid)
    func invalidRequestsGetTheAPIError(name: String, body: JSONValue, status: Int, message: String) async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body)
            #expect(reply.status == status, "\(name)")
            #expect(reply.json["type"] == "error")
            #expect(reply.json["error"]?["type"] == (status == 404 ? "not_found_error" : "invalid_request_error"))
            #expect(reply.json["error"]?["message"]?.stringValue?.contains(message) == true, "\(name): \(reply.text)")
            #expect(reply.json["request_id"]?.stringValue == reply.header("request-id"))
            #expect(reply.header("x-should-retry") == "false")
        }
    }

    @Test func consecutiveSameRoleTurnsAreMergedAndPrefillWorksOnOlderModels() async throws {
        let body: JSONValue = [
            "model": "claude-sonnet-4-5", "max_tokens": 10,
            "messages": [["role": "user", "content": "one"], ["role": "user", "content": "two"], ["role": "assistant", "content": "So"]],
        ]
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body)
            #expect(reply.status == 200)
            // user turn framed once: 3 + 1 + 1, assistant turn: 3 + 1.
            #expect(reply.json.int("usage", "input_tokens") == 9)
        }
    }

    @Test func authenticationAndVersionAreRequired() async throws {
        try await SimulatorHarness(config: SimulatorConfig(apiKey: "sk-right")).run { client async throws in
            let none = try await client.call(.post, "/v1/messages", Body.message(), auth: false)
            #expect(none.status == 401)
            #expect(none.json["error"]?["type"] == "authentication_error")
            let wrong = try await client.call(.post, "/v1/messages", Body.message(), headers: ["anthropic-version": "2023-06-01"])
            #expect(wrong.status == 401)
            let noVersion = try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-api-key": "sk-right"], auth: false)
            #expect(noVersion.status == 400)
            #expect(noVersion.json["error"]?["message"]?.stringValue?.contains("anthropic-version") == true)
        }
    }

    @Test func countTokensAnswersWithInputTokens() async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages/count_tokens", ["model": "claude-opus-5", "messages": [["role": "user", "content": "Hello, world!"]]])
            #expect(reply.status == 200)
            #expect(reply.json == ["input_tokens": 9])
        }
    }

    @Test func modelsListIsNewestFirstAndPaginates() async throws {
        try await SimulatorHarness().run { client async throws in
            let all = try await client.call(.get, "/v1/models")
            let ids = all.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == SimulatorConfig.defaultModels.count)
            #expect(ids.first == "claude-fable-5-2")
            #expect(all.json["has_more"] == false)
            let page = try await client.call(.get, "/v1/models?limit=2")
            #expect(page.json["has_more"] == true)
            #expect(page.json["first_id"] == .string(ids[0]))
            #expect(page.json["last_id"] == .string(ids[1]))
            let next = try await client.call(.get, "/v1/models?limit=2&after_id=\(ids[1])")
            #expect(next.json["first_id"] == .string(ids[2]))
            let one = try await client.call(.get, "/v1/models/claude-haiku-4-5")
            #expect(one.json["id"] == "claude-haiku-4-5-20251001")
            #expect(one.json.int("max_tokens") == 64_000)
            #expect(try await client.call(.get, "/v1/models/claude-nope").status == 404)
        }
    }
}
