import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PolicyYAML
import RouterCore
import Testing
import UpstreamCurl

@testable import ClaudeSimulator
@testable import RouterHTTP

/// The service plans prompt caching with the policy's `cache.yaml`, per client, and the simulator's reported
/// cache tokens confirm what it planned.
@Suite struct CachePolicyServiceTests {
    /// The embedded policy, plus the harness's `limited` client, with `cache.yaml` replaced.
    static func policy(cacheYAML: String) throws -> Policy {
        var files = PolicyLoader.embeddedFiles
        if let index = files.firstIndex(where: { $0.name == "clients.yaml" }) {
            files[index].text += """

                  - name: limited
                    key_sha256: \(SHA256.hex(Array(ServiceHarness.limitedKey.utf8)))
                    allowed_tiers: [haiku, sonnet]

                """
        }
        if let index = files.firstIndex(where: { $0.name == "cache.yaml" }) { files[index].text = cacheYAML }
        return try PolicyLoader.load(files: files)
    }

    /// A ~5,000-token system prompt, the same on every call, and a short question that changes.
    static func body(_ question: String) -> String {
        let system =
            "You are a meticulous code reviewer. "
            + (0..<200).map {
                "Rule \($0): always check the invariants of module \($0) carefully and report every deviation."
            }
            .joined(separator: " ")
        return
            #"{"model":"claude-sonnet-4-6","max_tokens":32,"system":\#(JSONValue.string(system).jsonString()),"messages":[{"role":"user","content":\#(JSONValue.string(question).jsonString())}]}"#
    }

    @Test func aClientWhoseModeIsOffGetsNoBreakpointsWhileAutoLearnsAndIsRead() async throws {
        let harness = try ServiceHarness(policy: Self.policy(cacheYAML: "mode: auto\nclients:\n  limited: off\n"))
        try await harness.run { client, _ in
            var devPlans: [String] = []
            var limitedPlans: [String] = []
            for i in 0..<3 {
                let dev = try await client.post("/v1/messages", json: Self.body("Review: def f\(i)(x): return x+\(i)"))
                #expect(dev.status == .ok)
                devPlans.append(dev.header("x-router-cache-plan") ?? "?")
                let limited = try await client.post(
                    "/v1/messages", key: ServiceHarness.limitedKey,
                    json: Self.body("Review: def g\(i)(y): return y*\(i)"))
                #expect(limited.status == .ok)
                limitedPlans.append(limited.header("x-router-cache-plan") ?? "?")
            }
            #expect(limitedPlans == ["none", "none", "none"])
            // auto: nothing on a cold table, a write on the second sighting, then read and refreshed.
            #expect(devPlans == ["none", "system:5m", "system:5m"])
            let rows = harness.recorder.requests
            let dev = rows.filter { $0.client == "dev" }
            let limited = rows.filter { $0.client == "limited" }
            #expect(dev.map { $0.usage.cacheWrite5m > 0 } == [false, true, false])
            #expect(dev.map { $0.usage.cacheRead > 0 } == [false, false, true])
            #expect(limited.allSatisfy { $0.usage.cacheRead == 0 && $0.usage.cacheWrite5m == 0 })
            #expect(dev[2].savedByCaching.nanoUSD > 0)
        }
    }

    /// A chat turn of the `limited` client: a long opening message, then (turn 2) the same conversation extended.
    static func chatBody(conversation: Int, turn: Int) -> String {
        let opening =
            "Conversation \(conversation): please help me with this module. "
            + (0..<120).map { "Line \($0) of conversation \(conversation) describes one more requirement in detail." }
            .joined(separator: " ")
        var messages = [#"{"role":"user","content":\#(JSONValue.string(opening).jsonString())}"#]
        if turn == 2 {
            messages.append(#"{"role":"assistant","content":"Here is a first answer."}"#)
            messages.append(#"{"role":"user","content":"Thanks, and now the second part?"}"#)
        }
        return #"{"model":"claude-sonnet-4-6","max_tokens":32,"messages":[\#(messages.joined(separator: ","))]}"#
    }

    /// Issue 14's client pattern: one system prompt and a new question each time, inside the TTL. The planner
    /// marks the system prompt (not the unique question) from the second request, and every request from the
    /// third on reads it, as the simulator reports; another client whose conversation ends do come back does not
    /// make this one write its unique tails.
    @Test func oneSystemPromptIsMarkedFromTheSecondRequestAndReadFromTheThird() async throws {
        let harness = try ServiceHarness(policy: Self.policy(cacheYAML: "mode: auto\n"))
        try await harness.run { client, _ in
            // Another client first: four conversations, each continued at once, so new conversation ends of that
            // client are seen to come back.
            for conversation in 0..<4 {
                for turn in 1...2 {
                    let response = try await client.post(
                        "/v1/messages", key: ServiceHarness.limitedKey,
                        json: Self.chatBody(conversation: conversation, turn: turn))
                    #expect(response.status == .ok)
                }
            }
            var plans: [String] = []
            for i in 0..<6 {
                let response = try await client.post(
                    "/v1/messages", json: Self.body("Question \(i): what does def f\(i)(x): return x*\(i) do?"))
                #expect(response.status == .ok)
                plans.append(response.header("x-router-cache-plan") ?? "?")
            }
            // The breakpoint is on the system prompt from the second request on, never on the question.
            #expect(plans == ["none"] + Array(repeating: "system:5m", count: 5))
            let bot = harness.recorder.requests.filter { $0.client == "dev" }
            try #require(bot.count == 6)
            let systemTokens = bot[1].usage.cacheWrite5m
            #expect(systemTokens > 4_000)
            #expect(bot[0].usage.cacheWrite5m == 0 && bot[0].usage.cacheRead == 0)
            #expect(bot[1].usage.cacheRead == 0)
            for row in bot[2...] {
                // Read the system prompt, write nothing: the unique question is plain input.
                #expect(row.usage.cacheRead == systemTokens)
                #expect(row.usage.cacheWrite5m == 0 && row.usage.cacheWrite1h == 0)
                #expect(row.usage.input > 0 && row.usage.input < 100)
            }
        }
    }

    @Test func forceMarksOnTheFirstRequest() async throws {
        let harness = try ServiceHarness(policy: Self.policy(cacheYAML: "mode: off\nclients:\n  dev: force\n"))
        try await harness.run { client, _ in
            let first = try await client.post("/v1/messages", json: Self.body("Review: def f(x): return x"))
            // force marks the stable boundaries long enough to cache: the system prompt and the conversation end.
            #expect(first.header("x-router-cache-plan") == "system:5m,messages:5m")
            let limited = try await client.post(
                "/v1/messages", key: ServiceHarness.limitedKey, json: Self.body("Review: def g(y): return y"))
            #expect(limited.header("x-router-cache-plan") == "none")
        }
    }

    @Test func aReloadedCacheModeAppliesFromTheNextRequest() async throws {
        // A policy directory: the shipped files with cache planning off.
        let directory = NSTemporaryDirectory() + "cache-reload-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for file in PolicyLoader.embeddedFiles {
            let path = directory + "/" + file.name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let text = file.name == "cache.yaml" ? "mode: off\n" : file.text
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let store = try PolicyStore(directory: directory, clock: SystemClock(), logger: Logger(label: "policy"))
        let simulator = ClaudeSimulator(config: .default, clock: ScaledClock(), logger: Logger(label: "sim"))
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let port = try #require(simClient.port)
            let curl = CurlHTTPClient()
            let service = RouterApplication.forTests(
                configuration: ServiceConfiguration(
                    upstreamBaseURL: "http://127.0.0.1:\(port)", upstreamKey: nil, forwardSimulatorHeaders: true),
                policies: store, transport: CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(port)", key: nil),
                recorder: MemoryRecorder(), logger: Logger(label: "router"))
            let app = Application(router: service.buildRouter(), logger: Logger(label: "router"))
            try await app.test(.router) { client in
                let off = try await client.post("/v1/messages", json: Self.body("Review: def a(x): return x"))
                #expect(off.header("x-router-cache-plan") == "none")
                try "mode: force\n".write(toFile: directory + "/cache.yaml", atomically: true, encoding: .utf8)
                guard case .reloaded = store.reload() else {
                    Issue.record("the edited policy did not reload")
                    return
                }
                let forced = try await client.post("/v1/messages", json: Self.body("Review: def b(x): return x"))
                #expect(forced.header("x-router-cache-plan") == "system:5m,messages:5m")
            }
            await curl.shutdown()
        }
    }
}
