import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Synchronization
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Pass-through headers (`anthropic-beta`) travel with a deferred task into its batch, and `results_url` is
/// followed only on the configured upstream.
@Suite struct BatchHeaderTests {
    func finishUpstream(_ env: BatchHarness.Env) {
        (env.simulator.clock as? SteppedClock)?.advance(by: 61)
    }

    @Test(arguments: [
        ([("anthropic-version", "2023-06-01")], ""),
        ([("anthropic-version", "2023-06-01"), ("anthropic-beta", "b, a,a")], "anthropic-beta: a,b"),
        ([("anthropic-beta", " a ,b")], "anthropic-beta: a,b"),
        ([("anthropic-version", "2024-01-01")], "anthropic-version: 2024-01-01"),
        ([("x-sim-latency-ms", "5"), ("anthropic-beta", "")], ""),
    ])
    func headerSetsAreCanonical(forwarded: [(String, String)], canonical: String) {
        let set = HeaderSet(forwarded: forwarded.map { (name: $0.0, value: $0.1) })
        #expect(set.canonical == canonical)
        #expect(HeaderSet(canonical: canonical) == set)
    }

    @Test func tasksArePackedByBetaSetAndTheCreateCallCarriesIt() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let plain = try await env.deferTask("Classify: plain")
            var betaIDs: [String] = []
            for value in ["files-api, citations", "citations,files-api,citations"] {
                let response = try await env.client.post(
                    "/v1/tasks",
                    json:
                        #"{"task_type":"classification","priority":"background","messages":[{"role":"user","content":"Classify: beta"}]}"#,
                    headers: [HTTPField.Name("anthropic-beta")!: value])
                #expect(response.status == .accepted)
                betaIDs.append(try #require(response.json["id"]?.stringValue))
            }
            #expect(try env.store.queue.task(id: betaIDs[0])?.headers == "anthropic-beta: citations,files-api")
            #expect(try env.store.queue.task(id: plain)?.headers == "")

            let recording = RecordingTransport(inner: env.transport)
            let report = await env.scheduler(transport: recording, runner: nil).tick(nowMillis: env.now())
            #expect(report.submitted.count == 2)
            let creates = recording.all.filter { $0.method == "POST" && $0.path == "/v1/messages/batches" }
            #expect(creates.count == 2)
            func customIDs(_ call: RecordingTransport.Call) -> Set<String> {
                let requests = (try? JSONValue.parse(call.body))?["requests"]?.arrayValue ?? []
                return Set(requests.compactMap { $0["custom_id"]?.stringValue })
            }
            let beta = try #require(creates.first { $0.headers["anthropic-beta"] != nil })
            #expect(beta.headers["anthropic-beta"] == "citations,files-api")
            #expect(customIDs(beta) == Set(betaIDs))
            let other = try #require(creates.first { $0.headers["anthropic-beta"] == nil })
            #expect(customIDs(other) == [plain])
            #expect(other.headers["anthropic-version"] == "2023-06-01")
        }
    }

    @Test(
        arguments: [
            // results_url, upstream base URL → path fetched, or nil when refused
            (
                "http://127.0.0.1:8080/v1/messages/batches/msgbatch_1/results", "http://127.0.0.1:8080",
                "/v1/messages/batches/msgbatch_1/results"
            ),
            (
                "HTTPS://API.Anthropic.com:443/v1/messages/batches/msgbatch_1/results?x=1", "https://api.anthropic.com",
                "/v1/messages/batches/msgbatch_1/results?x=1"
            ),
            (
                "https://gw.example.com/claude/v1/messages/batches/b/results", "https://gw.example.com/claude/",
                "/v1/messages/batches/b/results"
            ),
            (nil, "https://api.anthropic.com", "/v1/messages/batches/msgbatch_1/results"),
            ("https://api.anthropic.com/v1/x", nil, "/v1/messages/batches/msgbatch_1/results"),
            ("https://evil.example.com/v1/messages/batches/msgbatch_1/results", "https://api.anthropic.com", nil),
            ("http://api.anthropic.com/v1/messages/batches/msgbatch_1/results", "https://api.anthropic.com", nil),
            ("https://api.anthropic.com:8443/v1/messages/batches/msgbatch_1/results", "https://api.anthropic.com", nil),
            (
                "https://user:pw@api.anthropic.com/v1/messages/batches/msgbatch_1/results", "https://api.anthropic.com",
                nil
            ),
            ("https://gw.example.com/other/v1/messages/batches/b/results", "https://gw.example.com/claude", nil),
            ("/v1/messages/batches/msgbatch_1/results", "https://api.anthropic.com", nil),
        ] as [(String?, String?, String?)])
    func resultsURLsAreFollowedOnlyOnTheUpstreamOrigin(url: String?, base: String?, expected: String?) {
        let location = ResultsLocation.resolve(resultsURL: url, upstreamBaseURL: base, upstreamID: "msgbatch_1")
        if let expected {
            #expect(location == .path(expected))
        } else if case .path(let path) = location {
            Issue.record("expected a refusal, got \(path)")
        }
    }

    @Test func aResultsURLOnAnotherHostIsNeverFetchedAndTheBatchWaits() async throws {
        let harness = try BatchHarness()
        let elsewhere = RequestLog()
        try await elsewhere.run { otherBase in
            try await harness.run { env in
                let id = try await env.deferTask()
                let recording = RecordingTransport(inner: env.transport)
                recording.resultsURL.withLock { $0 = { "\(otherBase)/v1/messages/batches/\($0)/results" } }
                let scheduler = env.scheduler(transport: recording, runner: nil)
                await scheduler.tick(nowMillis: env.now())
                finishUpstream(env)
                let refused = await scheduler.tick(nowMillis: env.now(plus: 600))
                #expect(refused.resultsRefused == 1)
                #expect(refused.succeeded == 0)
                #expect(elsewhere.all.isEmpty)  // nothing, and so no key, went to the other host
                #expect(!recording.all.contains { $0.path.contains("/results") })
                let waiting = try await env.getTask(id)
                #expect(waiting.json["status"] == "submitted")
                #expect(waiting.json["batch"]?["note"]?.stringValue?.contains("not on the configured upstream") == true)

                // The API gives a URL on its own host again: the results are read and the note is cleared.
                recording.resultsURL.withLock { $0 = nil }
                #expect(await scheduler.tick(nowMillis: env.now(plus: 3600)).succeeded == 1)
                let done = try await env.getTask(id)
                #expect(done.json["status"] == "succeeded")
                #expect(done.json["batch"]?["note"] == .null)
                #expect(elsewhere.all.isEmpty)
            }
        }
    }

    @Test func theResultsURLTheAPIGivesIsTheOneFetched() async throws {
        let harness = try BatchHarness()
        try await harness.run { env in
            let id = try await env.deferTask()
            let recording = RecordingTransport(inner: env.transport)
            let base = env.upstreamBaseURL
            recording.resultsURL.withLock { $0 = { "\(base)/v1/messages/batches/\($0)/results?from=results_url" } }
            let scheduler = env.scheduler(transport: recording, runner: nil)
            await scheduler.tick(nowMillis: env.now())
            finishUpstream(env)
            #expect(await scheduler.tick(nowMillis: env.now(plus: 600)).succeeded == 1)
            let fetched = recording.all.filter { $0.path.contains("/results") }
            #expect(fetched.count == 1)
            #expect(fetched.first?.path.hasSuffix("/results?from=results_url") == true)
            #expect(try await env.getTask(id).json["status"] == "succeeded")
        }
    }
}
