import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

/// A simulator on a manual clock, driven through HummingbirdTesting's router client.
struct SimulatorHarness {
    let clock: ManualClock
    let simulator: ClaudeSimulator

    init(config: SimulatorConfig = .default, clock: ManualClock = ManualClock()) {
        self.clock = clock
        self.simulator = ClaudeSimulator(config: config, clock: clock, logger: Logger(label: "sim-test"))
    }

    /// A config whose one model `test-model` caches from 100 tokens, with generous limits.
    static func smallCacheConfig(limits: RateLimits? = nil, batchSeconds: Double = 100) -> SimulatorConfig {
        let model = SimulatedModel(
            id: "test-model", datedID: "test-model-20260101", minCacheableTokens: 100, rateLimitBucket: "test")
        let l = limits ?? RateLimits(requestsPerMinute: 10_000, inputTokensPerMinute: 10_000_000, outputTokensPerMinute: 10_000_000)
        return SimulatorConfig(models: [model] + SimulatorConfig.defaultModels, tiers: ["t": ["test": l]], tier: "t", batchProcessingSeconds: batchSeconds)
    }

    func run<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await simulator.buildApplication(port: 0).test(.router, body)
    }
}

/// A decoded response: status, headers, body text and (when JSON) the value.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String
    var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }

    /// The SSE events as (name, data) pairs.
    var events: [(String, JSONValue)] {
        text.components(separatedBy: "\n\n").compactMap { chunk -> (String, JSONValue)? in
            var name: String?
            var data: String?
            for line in chunk.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let name, let data, let value = try? JSONValue.parse(data) else { return nil }
            return (name, value)
        }
    }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method = .post, _ uri: String, _ body: JSONValue? = nil, headers extra: [String: String] = [:],
        auth: Bool = true
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if auth {
            headers[HTTPField.Name("x-api-key")!] = "sk-test"
            headers[HTTPField.Name("anthropic-version")!] = "2023-06-01"
        }
        for (k, v) in extra { headers[HTTPField.Name(k)!] = v }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0.serialized()) }) { response in
            Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
    }
}

/// Request-building helpers.
enum Body {
    /// `n` one-token words.
    static func words(_ n: Int, _ word: String = "abc") -> String {
        Array(repeating: word, count: n).joined(separator: " ")
    }

    static func message(
        model: String = "claude-sonnet-4-5", maxTokens: Int = 1_000, text: String = "Hello, world!", extra: JSONObject = [:]
    ) -> JSONValue {
        var o: JSONObject = [
            "model": .string(model), "max_tokens": .number(JSONNumber(maxTokens)),
            "messages": [["role": "user", "content": .string(text)]],
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    static func cc(_ ttl: String? = nil) -> JSONValue {
        ttl.map { ["type": "ephemeral", "ttl": .string($0)] } ?? ["type": "ephemeral"]
    }

    static func systemBlock(_ text: String, ttl: String?? = .none) -> JSONValue {
        var o: JSONObject = ["type": "text", "text": .string(text)]
        if case .some(let t) = ttl { o["cache_control"] = cc(t) }
        return .object(o)
    }
}

extension JSONValue {
    func int(_ path: String...) -> Int? {
        var v: JSONValue? = self
        for p in path { v = v?[p] }
        return v?.intValue
    }
}
