import ClaudeAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import PolicyYAML
import RouterCore
import Testing

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
}
