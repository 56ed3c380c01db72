import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PolicyYAML
import RouterCore
import Synchronization
import Testing

@testable import RouterHTTP

/// Counts upstream calls and answers every one 200 `{}`.
final class CountingTransport: UpstreamTransport {
    let calls = Mutex(0)
    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        calls.withLock { $0 += 1 }
        return UpstreamReply(
            status: 200, headers: [("content-type", "application/json")],
            body: AsyncThrowingStream { $0.yield(Array("{}".utf8)); $0.finish() })
    }
}

@Suite struct SecurityConfigurationTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("127.5.6.7", true), ("localhost", true), ("LOCALHOST", true), ("::1", true),
        ("::ffff:127.0.0.1", true), ("127.attacker.example", false), ("127.0.0.1.nip.io", false), ("0.0.0.0", false),
        ("10.0.0.1", false), ("::", false), ("128.0.0.1", false), ("example.com", false), ("", false),
        ("127.0.0.1 ", false),
    ])
    func anonymousAccessNeedsALoopbackAddressParsedNotMatchedAsText(host: String, loopback: Bool) {
        #expect(ServiceConfiguration.isLoopback(host) == loopback)
        #expect(ServiceConfiguration(host: host).bindsLoopbackOnly == loopback)
    }

    @Test func readinessProbesTheUpstreamOnlyForAKeyedCallerAndAtMostOncePerTTL() async throws {
        let transport = CountingTransport()
        let policy = try ServiceHarness.policy()
        let service = RouterApplication.forTests(
            configuration: ServiceConfiguration(), policies: PolicyStore(policy: policy, logger: Logger(label: "policy")), transport: transport,
            recorder: MemoryRecorder(), logger: Logger(label: "test"))
        let app = Application(router: service.buildRouter())
        try await app.test(.router) { client in
            for _ in 0..<20 {
                let keyless = try await client.execute(uri: "/readyz", method: .get)
                #expect(keyless.status == .ok)
            }
            #expect(transport.calls.withLock { $0 } == 0, "keyless callers never make an upstream call")
            let before = try await client.execute(uri: "/readyz", method: .get)
            #expect(before.json["upstream"]?.stringValue?.hasPrefix("unknown") == true)
            for _ in 0..<20 {
                let keyed = try await client.execute(
                    uri: "/readyz", method: .get, headers: [HTTPField.Name("x-api-key")!: ServiceHarness.devKey])
                #expect(keyed.status == .ok)
            }
            #expect(transport.calls.withLock { $0 } == 1, "one probe per TTL, however many callers")
            let after = try await client.execute(uri: "/readyz", method: .get)
            #expect(after.json["upstream"]?.stringValue?.hasPrefix("ok") == true, "keyless callers see the cached result")
        }
    }

    @Test func aPolicyLoadThatRunsTooLongIsAbandonedAndTheOldPolicyKeepsServing() throws {
        let dir = try PolicyStoreTests().copyOfShippedPolicies()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A load takes milliseconds (a thread to start, every file parsed): far longer than a nanosecond.
        let store = try PolicyStore(
            directory: dir, clock: SystemClock(), logger: Logger(label: "test"), loadTimeout: .nanoseconds(1))
        let original = store.current.contentHash
        let routing = dir + "/routing.yaml"
        try (try String(contentsOfFile: routing, encoding: .utf8) + "\n# edited\n")
            .write(toFile: routing, atomically: true, encoding: .utf8)
        guard case .refused(let message) = store.reload() else {
            Issue.record("the slow load was not abandoned")
            return
        }
        #expect(message.contains("abandoned"))
        #expect(store.current.contentHash == original, "the old policy keeps serving")
        #expect(store.lastError == message)
    }
}
