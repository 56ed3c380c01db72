import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RouterCore
import Synchronization
import Testing

import ClaudeSimulator

@testable import RouterHTTP

/// `--log-format json`: one parseable access line per request, rejections included, and no secret or prompt text
/// in any line.
@Suite struct AccessLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    static let upstreamCanary = "sk-ant-api03-CANARY-UPSTREAM-7f3e9a"
    static let wrongKeyCanary = "crk_CANARY-WRONG-KEY-51bd02"
    static let promptCanary = "CANARY-PROMPT-TEXT-d41c"

    @Test func everyRequestGetsOneJSONLineWithoutSecrets() async throws {
        let sink = Lines()
        var harness = try ServiceHarness()
        harness.logger = Logger(label: "claude-router") { label in
            JSONLogHandler(label: label, level: .trace) { line in sink.lines.withLock { $0.append(line) } }
        }
        harness.upstreamKey = UpstreamKey(Self.upstreamCanary)
        harness.simulatorConfig.apiKey = Self.upstreamCanary  // the simulator refuses any other key
        let prompt = "Classify this ticket: refund request \(Self.promptCanary)"
        let auth: HTTPFields = [HTTPField.Name("x-api-key")!: ServiceHarness.devKey]
        let expected: [(Int, String)]
        try await harness.run { client, _ in
            var statuses: [Int] = []
            func note(_ response: TestResponse) { statuses.append(Int(response.status.code)) }
            note(try await client.post("/v1/messages", json: messagesBody(prompt)))
            note(try await client.post("/v1/messages", json: messagesBody(prompt, stream: true)))
            note(try await client.post("/v1/messages", key: Self.wrongKeyCanary, json: messagesBody(prompt)))
            note(try await client.post("/v1/messages", key: nil, json: messagesBody(prompt)))
            note(try await client.post("/v1/messages", json: #"{"model":"auto","messages":"\#(Self.promptCanary)"}"#))
            note(
                try await client.post(
                    "/v1/messages", key: ServiceHarness.limitedKey, json: messagesBody(prompt, model: "claude-opus-4-6")))
            note(try await client.post("/v1/messages/count_tokens", json: messagesBody(prompt)))
            note(try await client.execute(uri: "/v1/models", method: .get, headers: auth))
            note(try await client.execute(uri: "/v1/models/claude-nope", method: .get, headers: auth))
            note(try await client.execute(uri: "/v1/messages", method: .get, headers: auth))
            let unknown = try await client.execute(uri: "/v2/nothing?key=\(Self.wrongKeyCanary)", method: .get, headers: auth)
            note(unknown)
            // Every error carries a request id, in the body and the header, the unknown route's too.
            #expect(unknown.json["request_id"]?.stringValue?.hasPrefix("rtr_") == true)
            #expect(unknown.header("x-router-request-id") == unknown.json["request_id"]?.stringValue)
            // Batches (this service has no database: 404 in the API's shape) and the dashboard (no key: 401).
            note(try await client.execute(uri: "/v1/messages/batches", method: .get, headers: auth))
            note(try await client.execute(uri: "/dashboard", method: .get))
            #expect(statuses == [200, 200, 401, 401, 400, 403, 200, 200, 404, 405, 404, 404, 401])
        }
        expected = [
            (200, "/v1/messages"), (200, "/v1/messages"), (401, "/v1/messages"), (401, "/v1/messages"),
            (400, "/v1/messages"), (403, "/v1/messages"), (200, "/v1/messages/count_tokens"), (200, "/v1/models"),
            (404, "/v1/models/{id}"), (405, "/v1/messages"), (404, "NotFound"), (404, "/v1/messages/batches"),
            (401, "/dashboard"),
        ]
        let lines = sink.all
        #expect(!lines.isEmpty)
        var access: [JSONValue] = []
        for line in lines {
            #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line: \(line)")
            let parsed = try #require(try? JSONValue.parse(String(line.dropLast())), "not JSON: \(line)")
            #expect(parsed["ts"]?.stringValue?.hasSuffix("Z") == true && parsed["level"] != nil)
            for secret in [
                Self.upstreamCanary, Self.wrongKeyCanary, ServiceHarness.devKey, ServiceHarness.limitedKey,
                Self.promptCanary,
            ] {
                #expect(!line.contains(secret), "a secret or prompt text in: \(line)")
            }
            if parsed["msg"] == "access" { access.append(parsed) }
        }
        #expect(access.count == expected.count)
        for (line, (status, route)) in zip(access, expected) {
            #expect(line["status"]?.intValue == status, "\(line)")
            #expect(line["route"]?.stringValue == route, "\(line)")
            #expect(line["latency_ms"]?.intValue != nil)
            // Every line has its request's id, the router's own 405 and unknown-route answers included.
            #expect(line["request_id"]?.stringValue?.hasPrefix("rtr_") == true, "\(line)")
            if status >= 400 { #expect(line["error_type"]?.stringValue?.isEmpty == false, "\(line)") }
        }
        let ok = access[0]
        #expect(ok["client"] == "dev" && ok["model"] == "claude-haiku-4-5" && ok["tier"] == "haiku")
        #expect(ok["task_type"]?.stringValue?.isEmpty == false)
        #expect((ok["input_tokens"]?.intValue ?? 0) > 0 && (ok["output_tokens"]?.intValue ?? 0) > 0)
        #expect((ok["cost_nano_usd"]?.intValue ?? 0) > 0 && ok["queue_wait_ms"]?.intValue != nil)
        let streamed = access[1]
        #expect((streamed["output_tokens"]?.intValue ?? 0) > 0 && streamed["cost_usd"] != nil)
        #expect(access[2]["error_type"] == "authentication_error" && access[2]["client"] == "")
        #expect(access[5]["client"] == "limited" && access[5]["error_type"] == "permission_error")
    }

    @Test func promptTextOnlyForAClientWhosePolicyTurnsItOn() async throws {
        let sink = Lines()
        var policy = try ServiceHarness.policy()
        let index = try #require(policy.clients.firstIndex { $0.name == "limited" })
        policy.clients[index].logPrompts = true
        var harness = try ServiceHarness(policy: policy)
        harness.logger = Logger(label: "claude-router") { label in
            JSONLogHandler(label: label, level: .trace) { line in sink.lines.withLock { $0.append(line) } }
        }
        let quiet = "Classify this ticket as billing or other: \(Self.promptCanary) refund"
        let logged = "Classify this ticket as billing or other: PROMPT-ON-e71a refund"
        try await harness.run { client, _ in
            #expect(try await client.post("/v1/messages", json: messagesBody(quiet)).status == .ok)
            let on = try await client.post("/v1/messages", key: ServiceHarness.limitedKey, json: messagesBody(logged))
            #expect(on.status == .ok)
        }
        let access = sink.all.compactMap { try? JSONValue.parse(String($0.dropLast())) }.filter { $0["msg"] == "access" }
        #expect(access.count == 2)
        #expect(access.first?["client"] == "dev" && access.first?["prompt"] == nil)
        #expect(access.last?["client"] == "limited" && access.last?["prompt"]?.stringValue == logged)
        for line in sink.all {
            for secret in [Self.promptCanary, ServiceHarness.devKey, ServiceHarness.limitedKey] {
                #expect(!line.contains(secret), "\(line)")
            }
        }
    }

    @Test func aRequestThatCannotBeParsedGetsItsLineToo() async throws {
        let sink = Lines()
        let logger = Logger(label: "claude-router") { label in
            JSONLogHandler(label: label, level: .info) { line in sink.lines.withLock { $0.append(line) } }
        }
        try await LiveRouter.run(logger: logger) { port, _ in
            let response = await offThePool {
                RawHTTP.exchange(port: port, Array("GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".utf8))
            }
            #expect(response?.status == 400)
        }
        let access = sink.all.compactMap { try? JSONValue.parse(String($0.dropLast())) }.filter { $0["msg"] == "access" }
        #expect(access.count == 1)
        #expect(access.first?["status"]?.intValue == 400 && access.first?["error_type"] == "invalid_request_error")
        #expect(access.first?["request_id"]?.stringValue?.hasPrefix("rtr_") == true)
    }

    @Test func aLoggedPromptIsCutAtACharacterBoundary() {
        let entry = AccessLogEntry()
        entry.takePrompt(String(repeating: "é", count: 5000))
        let prompt = entry.fields.prompt ?? ""
        #expect(prompt.utf8.count == AccessLogEntry.maxPromptBytes && prompt.allSatisfy { $0 == "é" })
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_764_869_400.5, "2025-12-04T17:30:00.500Z"),
        (951_868_799.25, "2000-02-29T23:59:59.250Z"), (-1.0, "1969-12-31T23:59:59.000Z"),
    ])
    func timestampsAreRFC3339InUTC(seconds: Double, expected: String) {
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func metadataKeepsNumbersAndEscapesText() {
        let sink = Lines()
        var logger = Logger(label: "t") { label in
            JSONLogHandler(label: label) { line in sink.lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "msg"] = "shadowed"
        logger.info("hello \"quoted\"\nnext", metadata: ["n": .stringConvertible(42), "s": "a\tb"])
        let line = try? JSONValue.parse(String(sink.all.first?.dropLast() ?? ""))
        #expect(line?["msg"] == "hello \"quoted\"\nnext" && line?["n"]?.intValue == 42 && line?["s"] == "a\tb")
        #expect(line?["meta.msg"] == "shadowed" && line?["label"] == "t" && line?["level"] == "info")
    }
}
