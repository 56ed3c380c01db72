import ClaudeAPI
import Foundation
import Testing

@testable import ClaudeSimulator

/// A seeded mutation fuzz of every route that takes a body, beyond the hand-written corpus of `HostileInputTests`:
/// valid requests with values swapped for odd ones (huge and negative numbers, wrong types, empty and control
/// strings, nested containers), fields dropped and added, arrays repeated, and bytes cut, inserted or flipped, sent
/// with the client's key, a wrong one or none, some with odd router and API headers.
///
/// No answer is known in advance, so what is checked is what holds for every input: an answer comes, it is not a
/// 5xx, every refusal is in the API's error shape, and the service still answers afterwards. The seed is fixed, so
/// a failure names a case that replays.
@Suite struct MutationFuzzTests {
    static let valid: JSONValue = [
        "model": "auto", "max_tokens": 64, "messages": [["role": "user", "content": "Summarise: the cat sat."]],
    ]
    static let bases: [(path: String, body: JSONValue)] = [
        ("/v1/messages", valid),
        ("/v1/messages/count_tokens", ["model": "auto", "messages": [["role": "user", "content": "hi"]]]),
        ("/v1/route", valid),
        ("/v1/tasks", ["task_type": "summarize", "messages": [["role": "user", "content": "x"]], "max_tokens": 32]),
        ("/v1/messages/batches", ["requests": [["custom_id": "a", "params": valid]]]),
    ]
    static let odd: [JSONValue] = [
        .null, true, false, 0, -1, 1, 2_147_483_648, .number(JSONNumber(text: "9223372036854775807")),
        .number(JSONNumber(text: "-9223372036854775808")), .number(JSONNumber(text: "18446744073709551616")),
        .number(JSONNumber(text: "1e308")), .number(JSONNumber(text: "-1e308")), .number(JSONNumber(text: "1e-7")),
        1.5, "", "x", "\u{0}", "ß", "\u{202E}", [], [:], [[]], ["a": [:]], "auto", "claude-opus-4",
        "claude-haiku-4-5", ["type": "ephemeral"], ["type": "ephemeral", "ttl": "1h"],
        ["type": "ephemeral", "ttl": "9h"],
        "2026-12-08T00:00:00Z", "9999-99-99T99:99:99Z", .string(String(repeating: "a", count: 5_000)),
    ]
    static let fields = [
        "stream", "cache_control", "system", "tools", "tool_choice", "thinking", "metadata", "temperature", "top_k",
        "stop_sequences", "service_tier", "inference_geo", "model", "max_tokens", "callback_url", "deadline",
        "priority", "task_type", "ttl", "type", "text", "content", "role", "budget_tokens", "custom_id", "params",
    ]
    static let routerHeaders = [
        "anthropic-beta", "x-router-task-type", "x-router-priority", "x-router-deadline", "x-router-callback-url",
        "anthropic-version",
    ]
    static let headerValues = [
        "", "summarize", "interactive", "background", "-1", "99999999999999999999", "2026-12-08T00:00:00Z",
        "http://127.0.0.1:1/x", "prompt-caching-2024-07-31", String(repeating: "a", count: 300),
    ]
    static let blocks: [JSONValue] = [
        ["type": "text", "text": "a", "cache_control": ["type": "ephemeral"]],
        ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "AAAA"]],
        ["type": "tool_result", "tool_use_id": "t", "content": [["type": "text", "text": "r"]]],
        ["role": "assistant", "content": [["type": "tool_use", "id": "t", "name": "f", "input": [:]]]],
    ]

    struct Mutator {
        var random: SeededGenerator

        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

        mutating func value(_ v: JSONValue, depth: Int = 0) -> JSONValue {
            if depth > 6 || chance(0.15) { return pick(MutationFuzzTests.odd) }
            switch v {
            case .object(let object):
                var entries = object.entries
                if chance(0.2), !entries.isEmpty {
                    entries.remove(at: Int.random(in: 0..<entries.count, using: &random))
                }
                if chance(0.2) {
                    entries.append(
                        (
                            key: pick(MutationFuzzTests.fields),
                            value: pick(MutationFuzzTests.odd + [MutationFuzzTests.valid])
                        ))
                }
                var mutated: [(key: String, value: JSONValue)] = []
                for entry in entries {
                    mutated.append(
                        (key: entry.key, value: chance(0.5) ? value(entry.value, depth: depth + 1) : entry.value))
                }
                return .object(JSONObject(mutated))
            case .array(let items):
                var items = items
                if chance(0.3) {
                    items = Array(repeating: items, count: Int.random(in: 0...5, using: &random)).flatMap { $0 }
                }
                if chance(0.3) { items.append(pick(MutationFuzzTests.blocks + MutationFuzzTests.odd)) }
                return .array(items.map { chance(0.5) ? value($0, depth: depth + 1) : $0 })
            default:
                return v
            }
        }

        mutating func bytes(_ input: [UInt8]) -> [UInt8] {
            var b = input
            let texts: [String] = [
                "{", "}", "[", "\"", "\\u", "\\ud800", "1e999999", "-", "\u{0}", ",", "99999999999999999999999",
            ]
            let inserts: [[UInt8]] = texts.map { Array($0.utf8) } + [[0xFF], [0xC3]]
            for _ in 0..<Int.random(in: 1...4, using: &random) where !b.isEmpty {
                let i = Int.random(in: 0..<b.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...10, using: &random)))
                case 1: b.insert(contentsOf: pick(inserts), at: i)
                default: b[i] = UInt8.random(in: 0...255, using: &random)
                }
            }
            return b
        }
    }

    /// What is wrong with `response`, or nil.
    static func problem(_ response: RawResponse?) -> String? {
        guard let response else { return "no answer" }
        if response.status >= 500 { return "status \(response.status): \(response.text.prefix(200))" }
        if response.status >= 400, response.apiError == nil {
            return "status \(response.status) not in the error shape: \(response.text.prefix(200))"
        }
        return nil
    }

    @Test func mutatedRequestsAreAnsweredWithoutA5xxAndRefusalsInTheErrorShape() async throws {
        try await LiveRouter.run { port, _ in
            let failures = await offThePool { () -> [String] in
                var mutator = Mutator(random: SeededGenerator(seed: 20_261_207))
                var failures: [String] = []
                for i in 0..<400 {
                    let (path, base) = mutator.pick(Self.bases)
                    let body = mutator.chance(0.3) ? mutator.bytes(base.serialized()) : mutator.value(base).serialized()
                    var headers = [("content-type", "application/json"), ("anthropic-version", "2023-06-01")]
                    let key = Double.random(in: 0..<1, using: &mutator.random)
                    if key < 0.8 {
                        headers.append(("x-api-key", ServiceHarness.devKey))
                    } else if key < 0.9 {
                        headers.append(("x-api-key", mutator.pick(["", "sk-wrong", "dev-key-change-me "])))
                    }
                    if mutator.chance(0.15) {
                        headers.append((mutator.pick(Self.routerHeaders), mutator.pick(Self.headerValues)))
                    }
                    let response = RawHTTP.exchange(
                        port: port, RawHTTP.request("POST", path, headers: headers, body: body))
                    if let problem = Self.problem(response) {
                        failures.append(
                            "case \(i), \(path), \(String(decoding: body.prefix(300), as: UTF8.self)): \(problem)")
                    }
                }
                return failures
            }
            #expect(
                failures.isEmpty, "\(failures.count) of 400 failed:\n\(failures.prefix(20).joined(separator: "\n"))")
            #expect(await LiveRouter.healthy(port: port), "the service still answers")
        }
    }
}
