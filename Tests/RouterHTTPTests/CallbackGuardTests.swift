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
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// `callback_url` cannot point the router at loopback, private, link-local, shared or metadata addresses, however
/// the address is spelled, unless the policy opens the host.
@Suite("Callback SSRF guard")
struct CallbackGuardTests {
    @Test(
        "non-public callback addresses are refused by default, in every spelling",
        arguments: [
            "http://127.0.0.1:9/x", "http://10.0.0.1/hook", "http://172.16.5.4/", "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/", "http://0x7f000001/", "http://2130706433/", "http://127.1/",
            "http://0177.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://[::1]:8080/", "http://[fe80::1]/",
            "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://255.255.255.255/",
            "http://224.0.0.1/", "http://localhost:9/x", "http://LOCALHOST./x", "http://[::ffff:a9fe:a9fe]/",
            "http://[64:ff9b::7f00:1]/", "https://user:pw@example.com/", "ftp://example.com/", "http:///x",
        ])
    func refusedByDefault(url: String) async {
        #expect(await CallbackGuard.check(url, policy: CallbackPolicy()) == nil)
    }

    @Test("a public address is allowed and pinned: the connection goes to the address that was checked")
    func publicAllowed() async throws {
        let target = try #require(await CallbackGuard.check("https://93.184.216.34/hook", policy: CallbackPolicy()))
        #expect(target.address.description == "93.184.216.34")
        #expect(target.connectTo == "93.184.216.34:443:93.184.216.34:443")
    }

    @Test("an allow-listed host may resolve anywhere; allow_private opens private ranges but never link-local")
    func allowList() async throws {
        let listed = CallbackPolicy(allowHosts: ["LocalHost", "127.0.0.1"])
        let viaName = try #require(await CallbackGuard.check("http://localhost:9/x", policy: listed))
        #expect(viaName.address.scope == .loopback)
        #expect(viaName.connectTo.hasPrefix("localhost:9:"))
        #expect(await CallbackGuard.check("http://127.0.0.1:9/x", policy: listed) != nil)
        #expect(await CallbackGuard.check("http://10.0.0.1/x", policy: listed) == nil)
        let open = CallbackPolicy(allowPrivate: true)
        #expect(await CallbackGuard.check("http://10.0.0.1/x", policy: open) != nil)
        #expect(await CallbackGuard.check("http://169.254.169.254/x", policy: open) == nil)
    }

    @Test("address scopes", arguments: [
        ([8, 8, 8, 8], IPAddress.Scope.global), ([127, 0, 0, 2], .loopback), ([172, 31, 255, 255], .privateNetwork),
        ([172, 32, 0, 1], .global), ([100, 127, 0, 1], .sharedAddressSpace), ([169, 254, 1, 1], .linkLocal),
        ([240, 0, 0, 1], .reserved), ([0, 1, 2, 3], .reserved),
    ] as [([UInt8], IPAddress.Scope)])
    func scopes(bytes: [UInt8], scope: IPAddress.Scope) throws {
        #expect(try #require(IPAddress(bytes: bytes)).scope == scope)
    }

    @Test("callback_url to a refused address is a 400 naming callback_url at submit time; nothing is stored")
    func refusedAtSubmit() async throws {
        // The default policy: no allow-list.
        let harness = try BatchHarness(policy: BatchHarness.policy(["callback_allow_hosts": "[]"]))
        try await harness.run { env in
            for url in ["http://127.0.0.1:9/x", "http://localhost:9/x", "http://169.254.169.254/", "http://0x7f000001/"] {
                let response = try await env.client.post(
                    "/v1/tasks",
                    json: #"{"task_type":"classification","priority":"background","callback_url":"\#(url)","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#)
                #expect(response.status == .badRequest, "\(url)")
                #expect(response.json["error"]?["message"]?.stringValue?.hasPrefix("callback_url") == true)
            }
            #expect(try env.store.queue.pendingTasks(limit: 10).isEmpty)
        }
    }

    @Test("delivery checks again: a callback the policy no longer allows is never sent, and fails like a refused connection")
    func refusedAtDelivery() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { baseURL in
            let named = baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let harness = try BatchHarness(policy: BatchHarness.policy(["callback_allow_hosts": "[127.0.0.1, localhost]"]))
            try await harness.run { env in
                let refused = try await env.deferTask(extra: #","callback_url":"\#(named)/hook""#)
                let unreachable = try await env.deferTask(extra: #","callback_url":"http://127.0.0.1:1/hook""#)
                // After a reload that dropped `localhost`: the name (which resolves to 127.0.0.1) is refused at
                // delivery, while 127.0.0.1:1 is allowed and refuses the connection.
                let strict = PolicyStore(
                    policy: try BatchHarness.policy(["callback_allow_hosts": "[127.0.0.1]"]), logger: Logger(label: "policy"))
                let scheduler = BatchScheduler(
                    store: env.store, transport: env.transport, policies: strict, callbacks: env.callbacks,
                    logger: Logger(label: "scheduler"), upstreamBaseURL: env.upstreamBaseURL, runner: nil)
                _ = await scheduler.tick(nowMillis: env.now())
                (env.simulator.clock as? SteppedClock)?.advance(by: 3600)
                let report = await scheduler.tick(nowMillis: env.now(plus: 3600))
                #expect(report.callbackFailures == 2)
                #expect(receiver.bodies.isEmpty)
                let a = try await env.getTask(refused).json["callback"]
                let b = try await env.getTask(unreachable).json["callback"]
                #expect(a?["attempts"] == 1 && a?["state"] == "pending")
                // Refused by policy and refused by the host look the same to the client.
                #expect(a == b)
            }
        }
    }

    @Test("an allow-listed loopback receiver gets the callback")
    func allowListedDelivery() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { baseURL in
            try await BatchHarness().run { env in
                let id = try await env.deferTask(extra: #","callback_url":"\#(baseURL)/hook""#)
                let scheduler = env.scheduler(runner: nil)
                _ = await scheduler.tick(nowMillis: env.now())
                (env.simulator.clock as? SteppedClock)?.advance(by: 3600)
                let report = await scheduler.tick(nowMillis: env.now(plus: 3600))
                #expect(report.callbacksDelivered == 1)
                #expect(receiver.bodies.first?["id"]?.stringValue == id)
            }
        }
    }

    @Test("batches.yaml rejects a callback_allow_hosts entry that is a URL or a wildcard, with file and line")
    func policyValidation() throws {
        var files = PolicyLoader.embeddedFiles
        let index = try #require(files.firstIndex { $0.name == "batches.yaml" })
        files[index].text += "\ncallback_allow_hosts: [\"http://hooks.example.com/\", \"*.example.com\"]\n"
        files[index].text = files[index].text.replacingOccurrences(of: "callback_allow_hosts: []", with: "")
        #expect(throws: PolicyLoadError.self) { try PolicyLoader.load(files: files) }
        do {
            _ = try PolicyLoader.load(files: files)
        } catch {
            #expect("\(error)".contains("batches.yaml:") && "\(error)".contains("callback_allow_hosts"))
        }
    }
}
