import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PolicyYAML
import RouterCore
import Synchronization
import Testing
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// The Message Batches pass-through: only the documented endpoints, each batch its creator's, routed, budgeted and
/// recorded.
@Suite("Batch pass-through")
struct BatchPassthroughTests {
    static func call(
        _ env: BatchHarness.Env, _ method: HTTPRequest.Method, _ path: String, key: String = ServiceHarness.devKey,
        body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [HTTPField.Name("x-api-key")!: key, HTTPField.Name("anthropic-version")!: "2023-06-01"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await env.client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static func item(_ id: String, model: String = "claude-haiku-4-5", text: String = "Say hi") -> String {
        #"{"custom_id":"\#(id)","params":{"model":"\#(model)","max_tokens":32,"messages":[{"role":"user","content":"\#(text)"}]}}"#
    }

    /// Creates a batch as `key` and returns the router's id.
    static func create(_ env: BatchHarness.Env, key: String = ServiceHarness.devKey, items: [String]) async throws
        -> String
    {
        let response = try await call(
            env, .post, "/v1/messages/batches", key: key, body: #"{"requests":[\#(items.joined(separator: ","))]}"#)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    static func upstreamPaths(_ env: BatchHarness.Env) -> [String] { env.upstream.all.map { "\($0.method) \($0.path)" } }

    @Test("a batch is its creator's: another client gets 404 for every endpoint and sees none in its list")
    func tenancy() async throws {
        try await BatchHarness().run { env in
            let id = try await Self.create(env, items: [Self.item("a"), Self.item("b")])
            #expect(id.hasPrefix("msgbatch_rtr"))
            let upstreamID = try #require(env.upstreamBatches().first?.id)
            #expect(upstreamID != id)

            let own = try await Self.call(env, .get, "/v1/messages/batches/\(id)")
            #expect(own.status == .ok)
            #expect(own.json["id"]?.stringValue == id)
            #expect(!own.text.contains(upstreamID))
            let listed = try await Self.call(env, .get, "/v1/messages/batches")
            #expect(listed.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])

            let other = ServiceHarness.limitedKey
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/messages/batches/\(id)"), (.post, "/v1/messages/batches/\(id)/cancel"),
                (.delete, "/v1/messages/batches/\(id)"), (.get, "/v1/messages/batches/\(id)/results"),
            ] {
                let response = try await Self.call(env, method, path, key: other)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.json["error"]?["type"] == "not_found_error")
            }
            let theirs = try await Self.call(env, .get, "/v1/messages/batches", key: other)
            #expect(theirs.status == .ok)
            #expect(theirs.json["data"]?.arrayValue?.isEmpty == true)
            // The upstream id is no handle either, for anyone.
            #expect(try await Self.call(env, .get, "/v1/messages/batches/\(upstreamID)").status == .notFound)
            // Still there for its owner: nothing above canceled or deleted it.
            #expect(env.upstreamBatches().first?.cancelInitiatedAt == nil)
            #expect(try await Self.call(env, .get, "/v1/messages/batches/\(id)").status == .ok)
        }
    }

    @Test("the router's own deferral batches are invisible: not listed, 404 by either id, and task documents show the router's id only")
    func deferralBatchesInvisible() async throws {
        try await BatchHarness().run { env in
            let task = try await env.deferTask()
            _ = await env.scheduler().tick(nowMillis: env.now())
            let submitted = try await env.getTask(task)
            let routerBatchID = try #require(submitted.json["batch"]?["id"]?.stringValue)
            let upstreamID = try #require(env.upstreamBatches().first?.id)
            #expect(submitted.json["batch"]?["upstream_id"] == nil)
            #expect(!submitted.text.contains(upstreamID))
            for id in [routerBatchID, upstreamID] {
                #expect(try await Self.call(env, .get, "/v1/messages/batches/\(id)").status == .notFound)
                #expect(try await Self.call(env, .get, "/v1/messages/batches/\(id)/results").status == .notFound)
                #expect(try await Self.call(env, .delete, "/v1/messages/batches/\(id)").status == .notFound)
            }
            let listed = try await Self.call(env, .get, "/v1/messages/batches")
            #expect(listed.json["data"]?.arrayValue?.isEmpty == true)
            #expect(env.upstreamBatches().count == 1)
        }
    }

    @Test(
        "only the documented batch paths exist: traversal, encoded and extra segments are 404 and never reach the upstream",
        arguments: [
            ("GET", "/v1/messages/batches/../../v1/files"), ("POST", "/v1/messages/batches/../../v1/complete"),
            ("POST", "/v1/messages/batches/../../v1/messages"), ("GET", "/v1/messages/batches/%2e%2e/%2e%2e/v1/files"),
            ("GET", "/v1/messages/batches/..%2f..%2fv1%2ffiles"), ("GET", "/v1/messages/batches/abc/results/extra"),
            ("POST", "/v1/messages/batches/abc%2Fcancel"), ("GET", "/v1/messages/batches/abc/"),
            ("GET", "/v1/messages/batches//"), ("DELETE", "/v1/messages/batches/abc/cancel/x"),
            ("GET", "/v1/messages/batches/msgbatch_1;/v1/files"),
        ])
    func closedPath(method: String, path: String) async throws {
        try await BatchHarness().run { env in
            let response = try await Self.call(
                env, HTTPRequest.Method(method)!, path, body: method == "POST" ? #"{"model":"claude-opus-4-6"}"# : nil)
            #expect(response.status == .notFound, "\(method) \(path): \(response.text)")
            #expect(response.json["type"] == "error")
            #expect(response.json["error"]?["type"] == "not_found_error")
            #expect(env.upstream.all.isEmpty, "\(Self.upstreamPaths(env))")
        }
    }

    @Test("a wrong method on a batch path is a 405 in the API's shape, never forwarded")
    func wrongMethod() async throws {
        try await BatchHarness().run { env in
            for (method, path) in [
                (HTTPRequest.Method.put, "/v1/messages/batches"), (.get, "/v1/messages/batches/abc/cancel"),
                (.post, "/v1/messages/batches/abc"), (.patch, "/v1/messages/batches/abc"),
            ] {
                let response = try await Self.call(env, method, path, body: method == .get ? nil : "{}")
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.json["error"]?["type"] == "invalid_request_error")
            }
            #expect(env.upstream.all.isEmpty)
        }
    }

    @Test("a compressed batch body is refused with 415 naming its coding, never forwarded")
    func compressedBody() async throws {
        try await BatchHarness().run { env in
            let response = try await env.client.execute(
                uri: "/v1/messages/batches", method: .post,
                headers: [
                    HTTPField.Name("x-api-key")!: ServiceHarness.devKey,
                    HTTPField.Name("anthropic-version")!: "2023-06-01", .contentType: "application/json",
                    .contentEncoding: "gzip",
                ],
                body: ByteBuffer(bytes: [0x1F, 0x8B, 0x08, 0x00] + Array(#"{"requests":[\#(Self.item("a"))]}"#.utf8)))
            #expect(response.status.code == 415, "\(response.text)")
            #expect(response.json["error"]?["type"] == "invalid_request_error")
            #expect(response.json["error"]?["message"]?.stringValue?.contains("Content-Encoding 'gzip'") == true)
            #expect(env.upstream.all.isEmpty)
        }
    }

    @Test("a request without a key is refused before anything is read or forwarded")
    func keyless() async throws {
        try await BatchHarness().run { env in
            let response = try await env.client.execute(
                uri: "/v1/messages/batches/../../v1/files", method: .get, headers: [:])
            #expect(response.status == .unauthorized)
            #expect(env.upstream.all.isEmpty)
        }
    }

    @Test("an item naming a model the client may not use refuses the whole batch with 403 naming its custom_id")
    func policyRefusal() async throws {
        try await BatchHarness().run { env in
            let response = try await Self.call(
                env, .post, "/v1/messages/batches", key: ServiceHarness.limitedKey,
                body: #"{"requests":[\#(Self.item("fine")),\#(Self.item("greedy", model: "claude-opus-4-6"))]}"#)
            #expect(response.status == .forbidden, "\(response.text)")
            #expect(response.json["error"]?["type"] == "permission_error")
            #expect(response.json["error"]?["message"]?.stringValue?.contains("greedy") == true)
            let tier = try await Self.call(
                env, .post, "/v1/messages/batches", key: ServiceHarness.limitedKey,
                body: #"{"requests":[\#(Self.item("t", model: "opus"))]}"#)
            #expect(tier.status == .forbidden)
            #expect(env.upstream.all.isEmpty)
            #expect(env.upstreamBatches().isEmpty)
        }
    }

    @Test("the whole batch's estimated cost is checked against the budget: 402 when it would pass the hard limit")
    func budgetForWholeBatch() async throws {
        var harness = try BatchHarness()
        // dev's daily hard limit is $20; $19.999999 is spent.
        harness.spend = FixedSpend(byClient: ["dev": Money(dollars: "19.999999")!])
        try await harness.run { env in
            let items = (0..<20).map { Self.item("i\($0)", model: "claude-opus-4-6") }.joined(separator: ",")
            let response = try await Self.call(
                env, .post, "/v1/messages/batches", body: #"{"requests":[\#(items)]}"#)
            #expect(response.status == HTTPResponse.Status(code: 402), "\(response.text)")
            #expect(response.json["error"]?["type"] == "budget_exceeded_error")
            #expect(env.upstream.all.isEmpty)
        }
    }

    @Test("a created batch holds its estimate until its results are recorded: a second one past the limit is 402")
    func createdBatchHoldsItsEstimate() async throws {
        let items = #"{"requests":[\#(Self.item("o1", model: "claude-opus-4-6")),\#(Self.item("o2", model: "claude-opus-4-6"))]}"#
        // The batch's estimate, as the router states it, with nothing spent.
        let stated = Mutex(Money.zero)
        try await BatchHarness().run { env in
            let response = try await Self.call(env, .post, "/v1/messages/batches", body: items)
            #expect(response.status == .ok, "\(response.text)")
            let header = response.headers[HTTPField.Name("x-router-estimated-cost-usd")!]
            stated.withLock { $0 = header.flatMap { Money(dollars: $0) } ?? .zero }
        }
        let estimate = stated.withLock { $0 }
        #expect(estimate > .zero)
        // dev's daily hard limit is $20: leave room for one such batch and a half, not two.
        var harness = try BatchHarness()
        let spent = Money(nanoUSD: Money(dollars: "20")!.nanoUSD - estimate.nanoUSD * 3 / 2)
        harness.spend = FixedSpend(byClient: ["dev": spent])
        try await harness.run { env in
            let first = try await Self.call(env, .post, "/v1/messages/batches", body: items)
            #expect(first.status == .ok, "\(first.text)")
            let second = try await Self.call(env, .post, "/v1/messages/batches", body: items)
            #expect(second.status == HTTPResponse.Status(code: 402), "\(second.text)")
            #expect(second.json["error"]?["type"] == "budget_exceeded_error")
            #expect(env.upstreamBatches().count == 1)
        }
    }

    @Test("items are validated like Messages bodies and routed: auto becomes a concrete model before the create call")
    func itemsValidatedAndRouted() async throws {
        try await BatchHarness().run { env in
            for (body, field) in [
                (#"{"requests":[]}"#, "requests"),
                (#"{"requests":[{"custom_id":"a b","params":{}}]}"#, "custom_id"),
                (#"{"requests":[\#(Self.item("x")),\#(Self.item("x"))]}"#, "'x'"),
                (#"{"requests":[{"custom_id":"m","params":{"model":"auto","messages":[]}}]}"#, "'m'"),
                (#"{"requests":[{"custom_id":"s","params":{"model":"auto","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"x"}]}}]}"#, "'s'"),
            ] {
                let response = try await Self.call(env, .post, "/v1/messages/batches", body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.json["error"]?["message"]?.stringValue?.contains(field) == true, "\(response.text)")
            }
            #expect(env.upstream.all.isEmpty)
            _ = try await Self.create(env, items: [Self.item("auto1", model: "auto", text: "Classify: great")])
            let create = try #require(env.upstream.all.first { $0.method == "POST" })
            let sent = try JSONValue.parse(create.body)
            let model = try #require(sent["requests"]?.arrayValue?.first?["params"]?["model"]?.stringValue)
            #expect(model != "auto" && model.hasPrefix("claude-"))
        }
    }

    @Test("results stream through the router: results_url points at it, one ledger row per result priced on the creation day, once across two reads")
    func resultsRecordedOnce() async throws {
        // Haiku's price doubles on 2027-06-01; the batch is created on 2027-05-31 and read on 2027-06-02.
        var files = PolicyLoader.embeddedFiles
        let models = try #require(files.firstIndex { $0.name == "models.yaml" })
        let marker = "        batch_percent: 50\n        web_search_per_1k: 10\n\n  - id: claude-sonnet-4-6"
        #expect(files[models].text.contains(marker))
        files[models].text = files[models].text.replacingOccurrences(
            of: marker,
            with: """
                        batch_percent: 50
                      - from: 2027-06-01
                        input: 2
                        output: 10
                        cache_write_5m: 2.5
                        cache_write_1h: 4
                        cache_read: 0.20
                        batch_percent: 50
                        web_search_per_1k: 10

                  - id: claude-sonnet-4-6
                """)
        let clients = try #require(files.firstIndex { $0.name == "clients.yaml" })
        files[clients].text += """

              - name: limited
                key_sha256: \(SHA256.hex(Array(ServiceHarness.limitedKey.utf8)))
                allowed_tiers: [haiku]

            """
        let batches = try #require(files.firstIndex { $0.name == "batches.yaml" })
        files[batches].text = BatchHarness.batchesYAML + "\n"
        let policy = try PolicyLoader.load(files: files)
        let clock = SteppedRouterClock(millis: 1_811_721_600_000)  // 2027-05-31T00:00:00Z
        var harness = try BatchHarness(policy: policy)
        harness.routerClock = clock
        try await harness.run { env in
            let id = try await Self.create(env, items: [Self.item("one"), Self.item("two"), Self.item("three")])
            (env.simulator.clock as? SteppedClock)?.advance(by: 3600)
            clock.advance(byMillis: 2 * 86_400_000)
            let batch = try await Self.call(env, .get, "/v1/messages/batches/\(id)")
            let url = try #require(batch.json["results_url"]?.stringValue)
            #expect(url.hasPrefix("http://") && url.hasSuffix("/v1/messages/batches/\(id)/results"), "\(url)")
            #expect(!url.contains(":\(env.simPort)"))

            let first = try await Self.call(env, .get, "/v1/messages/batches/\(id)/results")
            #expect(first.status == .ok)
            let lines = first.text.split(separator: "\n").map(String.init)
            #expect(Set(lines.compactMap { try? BatchResult(line: Array($0.utf8)).customID }) == ["one", "two", "three"])
            let second = try await Self.call(env, .get, "/v1/messages/batches/\(id)/results")
            #expect(second.text == first.text)

            let rows = try env.ledgerRows().filter { $0.deferral == "client_batch" }
            #expect(rows.count == 3)
            let haiku = try #require(policy.model(named: "claude-haiku-4-5"))
            let created = Day(epochMillis: 1_811_721_600_000)
            for row in rows {
                #expect(row.mode == .batch && row.status == 200 && row.client == "dev")
                #expect(row.priceVersion == haiku.priceVersion(on: created))
                let expected = Pricing.breakdown(usage: row.usage, model: haiku, baseline: haiku, on: created, batch: true)
                #expect(row.cost == expected.cost && row.cost > .zero)
            }
            // The billing oracle: each result's bill from its own usage object and the published price at batch
            // rate (BillingOracle's independent table), to the nano-dollar.
            var oracle: [Int64] = []
            for line in lines {
                let result = try JSONValue.parse(Array(line.utf8))
                let message = result["result"]?["message"]
                let model = try #require(message?["model"]?.stringValue)
                oracle.append(try BillingOracle.bill(model: model, BillingOracle.Counts(message?["usage"]), batch: true))
            }
            #expect(oracle.sorted() == rows.map(\.cost.nanoUSD).sorted())
        }
    }

    @Test("the reconciler never adopts a client's batch as a lost batch of the router's own, even of the same size")
    func clientBatchNeverAdopted() async throws {
        try await BatchHarness().run { env in
            let a = try await env.deferTask("Classify: a")
            // A crash between packing and the create call: the row is `submitting`, the API never got it.
            try env.store.queue.markSubmitted(
                taskIDs: [a], batch: BatchRecord(id: "rb_lost", createdMillis: env.now(), taskCount: 1))
            // Meanwhile a client creates a batch of the same size through the pass-through.
            _ = try await Self.create(env, items: [Self.item("same-size")])
            let report = await (try env.restartedScheduler()).tick(nowMillis: env.now())
            #expect(report.adopted == 0)
            #expect(report.released == 1)
        }
    }

    @Test("list pages with limit, after_id and before_id over the caller's batches only")
    func listPagination() async throws {
        let clock = SteppedRouterClock(millis: 1_811_721_600_000)
        var harness = try BatchHarness()
        harness.routerClock = clock
        try await harness.run { env in
            var ids: [String] = []
            for n in 0..<3 {
                ids.append(try await Self.create(env, items: [Self.item("n\(n)")]))
                clock.advance(byMillis: 1000)
            }
            _ = try await Self.create(env, key: ServiceHarness.limitedKey, items: [Self.item("theirs")])
            let page1 = try await Self.call(env, .get, "/v1/messages/batches?limit=2")
            #expect(page1.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[2], ids[1]])
            #expect(page1.json["has_more"] == true)
            let page2 = try await Self.call(env, .get, "/v1/messages/batches?limit=2&after_id=\(ids[1])")
            #expect(page2.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[0]])
            #expect(page2.json["has_more"] == false)
            let back = try await Self.call(env, .get, "/v1/messages/batches?limit=1&before_id=\(ids[0])")
            #expect(back.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[1]])
            #expect(try await Self.call(env, .get, "/v1/messages/batches?limit=0").status == .badRequest)
        }
    }

    @Test("cancel and delete act on the caller's batch and answer with the router's id")
    func cancelAndDelete() async throws {
        try await BatchHarness().run { env in
            let id = try await Self.create(env, items: [Self.item("c")])
            let canceled = try await Self.call(env, .post, "/v1/messages/batches/\(id)/cancel")
            #expect(canceled.status == .ok, "\(canceled.text)")
            #expect(canceled.json["id"]?.stringValue == id)
            #expect(env.upstreamBatches().first?.cancelInitiatedAt != nil)
            (env.simulator.clock as? SteppedClock)?.advance(by: 3600)
            let deleted = try await Self.call(env, .delete, "/v1/messages/batches/\(id)")
            #expect(deleted.status == .ok, "\(deleted.text)")
            #expect(deleted.json["id"]?.stringValue == id)
            #expect(try await Self.call(env, .get, "/v1/messages/batches/\(id)").status == .notFound)
        }
    }
}

/// A router clock a test moves by hand.
final class SteppedRouterClock: RouterClock {
    let millis: Mutex<Int64>
    init(millis: Int64) { self.millis = Mutex(millis) }
    func nowMillis() -> Int64 { millis.withLock { $0 } }
    func advance(byMillis delta: Int64) { millis.withLock { $0 += delta } }
}
