import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClaudeSimulator

/// What agent frameworks rely on offline: structured output for `output_config.format`, and tool calls when the
/// request asks for one (`tool_choice` any/tool) or when the prompt names an offered tool under `auto`.
@Suite struct AgentBehaviourTests {
    /// A pydantic-style schema: a nested model by `$ref`, an optional field, an enum, an array and formats.
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "format": "text"],
            "age": ["type": "integer"],
            "email": ["anyOf": [["type": "string", "format": "email"], ["type": "null"]]],
            "role": ["enum": ["admin", "user"]],
            "tags": ["type": "array", "items": ["type": "string"]],
            "address": ["$ref": "#/$defs/Address"],
            "joined": ["type": "string", "format": "date-time"],
        ],
        "required": ["name", "age", "email", "role", "tags", "address", "joined"],
        "additionalProperties": false,
        "$defs": [
            "Address": [
                "type": "object", "properties": ["city": ["type": "string"], "zip": ["type": "integer"]],
                "required": ["city", "zip"], "additionalProperties": false,
            ]
        ],
    ]

    static func structuredBody(stream: Bool = false) -> JSONValue {
        Body.message(
            text: "Extract the user.",
            extra: [
                "output_config": ["format": ["type": "json_schema", "schema": schema]], "stream": .bool(stream),
            ])
    }

    /// Checks `value` against the subset of JSON Schema `schema` uses.
    static func conforms(_ value: JSONValue, to schema: JSONValue, root: JSONValue) -> Bool {
        if let ref = schema["$ref"]?.stringValue {
            return conforms(value, to: OutputGenerator.resolve(ref, in: root) ?? .null, root: root)
        }
        if let options = schema["enum"]?.arrayValue { return options.contains(value) }
        if let choices = schema["anyOf"]?.arrayValue { return choices.contains { conforms(value, to: $0, root: root) } }
        switch schema["type"]?.stringValue {
        case "object"?:
            guard let object = value.objectValue else { return false }
            let properties = schema["properties"]?.objectValue ?? [:]
            let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard required.allSatisfy({ object[$0] != nil }), object.keys.allSatisfy({ properties[$0] != nil }) else {
                return false
            }
            return object.allSatisfy { key, item in conforms(item, to: properties[key] ?? .null, root: root) }
        case "array"?: return value.arrayValue?.allSatisfy { conforms($0, to: schema["items"] ?? .null, root: root) } ?? false
        case "integer"?: return value.intValue != nil
        case "string"?:
            guard let text = value.stringValue else { return false }
            if schema["format"] == "email" { return text.contains("@") }
            if schema["format"] == "date-time" { return ISO8601DateFormatter().date(from: text) != nil }
            return true
        case "null"?: return value.isNull
        default: return false
        }
    }

    @Test func structuredOutputIsValidJSONForTheSchemaAndDeterministic() async throws {
        let (first, second) = try await SimulatorHarness().run { client async throws in
            (try await client.call(.post, "/v1/messages", Self.structuredBody()),
             try await client.call(.post, "/v1/messages", Self.structuredBody()))
        }
        #expect(first.status == 200)
        let blocks = try #require(first.json["content"]?.arrayValue)
        #expect(blocks.count == 1 && blocks[0]["type"] == "text")
        let text = try #require(blocks[0]["text"]?.stringValue)
        let parsed = try JSONValue.parse(text)
        #expect(Self.conforms(parsed, to: Self.schema, root: Self.schema), "\(text)")
        #expect(first.json["stop_reason"] == "end_turn")
        #expect(first.json.int("usage", "output_tokens") == Tokenizer.count(text))
        #expect(second.json["content"] == first.json["content"])
    }

    @Test func streamedStructuredOutputJoinsToTheSameJSON() async throws {
        let (plain, streamed) = try await SimulatorHarness().run { client async throws in
            (try await client.call(.post, "/v1/messages", Self.structuredBody()),
             try await client.call(.post, "/v1/messages", Self.structuredBody(stream: true)))
        }
        let text = streamed.events.compactMap { $0.1["delta"]?["text"]?.stringValue }.joined()
        #expect(text == plain.json["content"]?.arrayValue?.first?["text"]?.stringValue)
    }

    @Test func aBadOutputFormatIsRefused() async throws {
        let reply = try await SimulatorHarness().run { client async throws in
            try await client.call(
                .post, "/v1/messages",
                Body.message(extra: ["output_config": ["format": ["type": "xml", "schema": [:]]]]))
        }
        #expect(reply.status == 400)
        #expect(reply.json["error"]?["message"]?.stringValue?.contains("output_config.format.type") == true)
    }

    static let tools: JSONValue = [
        ["name": "get_weather", "description": "Weather for a city",
         "input_schema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]],
        ["name": "lookup_order", "description": "An order by number",
         "input_schema": [
            "type": "object", "properties": ["order": ["$ref": "#/$defs/Order"]], "required": ["order"],
            "$defs": ["Order": ["type": "object", "properties": ["number": ["type": "integer"]], "required": ["number"]]],
         ]],
    ]

    @Test(arguments: [
        ("Where is my order? Use lookup_order please.", "lookup_order"),
        ("What does get weather say for Paris?", "get_weather"),
    ])
    func autoCallsTheToolThePromptNames(prompt: String, tool: String) async throws {
        let reply = try await SimulatorHarness().run { client async throws in
            try await client.call(.post, "/v1/messages", Body.message(text: prompt, extra: ["tools": Self.tools]))
        }
        #expect(reply.json["stop_reason"] == "tool_use")
        let call = try #require(reply.json["content"]?.arrayValue?.first { $0["type"] == "tool_use" })
        #expect(call["name"]?.stringValue == tool)
        let schema = try #require(Self.tools.arrayValue?.first { $0["name"]?.stringValue == tool }?["input_schema"])
        #expect(Self.conforms(call["input"] ?? .null, to: schema, root: schema))
    }

    @Test func autoAnswersInTextWhenNoToolIsNamedOrResultsCameBack() async throws {
        let toolResultTurn: JSONValue = [
            "model": "claude-sonnet-4-5", "max_tokens": 1000, "tools": Self.tools,
            "messages": [
                ["role": "user", "content": "Use get_weather for Paris"],
                ["role": "assistant", "content": [["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Paris"]]]],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_1", "content": "get_weather: 18C"]]],
            ],
        ]
        let (unnamed, answered) = try await SimulatorHarness().run { client async throws in
            (try await client.call(.post, "/v1/messages", Body.message(text: "Hello there", extra: ["tools": Self.tools])),
             try await client.call(.post, "/v1/messages", toolResultTurn))
        }
        #expect(unnamed.json["stop_reason"] == "end_turn")
        #expect(answered.json["stop_reason"] == "end_turn")
        #expect(answered.json["content"]?.arrayValue?.first?["type"] == "text")
    }

    @Test func anyPrefersTheNamedToolAndStreamsItsInput() async throws {
        let body = Body.message(
            text: "Check lookup_order", extra: ["tools": Self.tools, "tool_choice": ["type": "any"], "stream": true])
        let reply = try await SimulatorHarness().run { client async throws in
            try await client.call(.post, "/v1/messages", body)
        }
        let start = try #require(reply.events.first { $0.0 == "content_block_start" }?.1["content_block"])
        #expect(start["type"] == "tool_use" && start["name"] == "lookup_order")
        let json = reply.events.compactMap { $0.1["delta"]?["partial_json"]?.stringValue }.joined()
        let input = try JSONValue.parse(json)
        #expect(input["order"]?["number"]?.intValue != nil)
        #expect(reply.events.contains { $0.0 == "message_delta" && $0.1["delta"]?["stop_reason"] == "tool_use" })
    }
}
