import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PolicyYAML
import RouterCore
import Testing
import TestSupport
import UpstreamCurl
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// `GET /dashboard`: operators only (401 without a key, 403 for other clients), a one-time link exchanged for a
/// session cookie, and the page's numbers equal to the ledger's, as a real browser renders them.
@Suite("Dashboard")
struct DashboardTests {
    static let opsKey = "ops-key-for-dashboard-tests"
    static let keyHeader = HTTPField.Name("x-api-key")!

    /// Debian's `chromium`, if installed.
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The test policy plus an operator client `ops`.
    static func policy() throws -> Policy {
        var policy = try ServiceHarness.policy()
        policy.clients.append(
            ClientSpec(name: "ops", keySHA256: SHA256.hex(Array(opsKey.utf8)), allowedTiers: [.haiku], role: .operator))
        return policy
    }

    /// A router with a real SQLite ledger (every row durable before its response) and task store, in front of a
    /// simulator, served live on 127.0.0.1.
    static func run(
        _ body: @Sendable (_ client: any TestClientProtocol, _ port: Int, _ path: String) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dash-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let simulator = ClaudeSimulator(config: .default, clock: ScaledClock(), logger: Logger(label: "sim"))
        let policy = try Self.policy()
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let simPort = try #require(simClient.port)
            let curl = CurlHTTPClient()
            let logger = Logger(label: "dashboard-test")
            let ledger = try Ledger(path: path, configuration: .synchronous)
            let service = RouterApplication.forTests(
                configuration: ServiceConfiguration(upstreamBaseURL: "http://127.0.0.1:\(simPort)"),
                policies: PolicyStore(policy: policy, logger: logger),
                transport: CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(simPort)", key: nil),
                pacing: Pacer(policy: policy.limits), recorder: ledger, spend: ledger,
                taskStore: TaskStore(queue: try TaskQueue(path: path)), reports: SQLiteUsageReports(path: path),
                logger: logger)
            let app = Application(
                router: service.buildRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                logger: logger)
            try await app.test(.live) { client in
                try await body(client, try #require(client.port), path)
            }
            try await ledger.close()
            await curl.shutdown()
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test("no key is 401, another client's key is 403, both in the API's error shape; an operator's key opens it")
    func onlyOperators() async throws {
        try await Self.run { client, _, _ in
            let anonymous = try await Self.get(client, "/dashboard")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.json["type"] == "error" && anonymous.json["error"]?["type"] == "authentication_error")
            #expect(anonymous.json["request_id"]?.stringValue?.hasPrefix("rtr_") == true)
            let wrong = try await Self.get(client, "/dashboard", headers: [Self.keyHeader: "not-a-key"])
            #expect(wrong.status == .unauthorized)
            let dev = try await Self.get(client, "/dashboard", headers: [Self.keyHeader: ServiceHarness.devKey])
            #expect(dev.status == .forbidden && dev.json["error"]?["type"] == "permission_error")
            let devToken = try await client.execute(
                uri: "/dashboard/token", method: .post, headers: [Self.keyHeader: ServiceHarness.devKey])
            #expect(devToken.status == .forbidden)
            let ops = try await Self.get(client, "/dashboard", headers: [Self.keyHeader: Self.opsKey])
            #expect(ops.status == .ok)
            #expect(ops.header("x-router-request-id")?.hasPrefix("rtr_") == true)
            #expect(ops.header("content-type")?.hasPrefix("text/html") == true)
            #expect(ops.header("content-security-policy")?.hasPrefix("default-src 'none'") == true)
            #expect(ops.text.contains("<svg") && ops.text.contains(#"<meta http-equiv="refresh" content="5"#))
            // An operator may call the API too.
            #expect(try await client.post("/v1/messages", key: Self.opsKey, json: messagesBody("Classify: ok")).status == .ok)
        }
    }

    @Test("clients.yaml's role is client or operator; anything else is an error at its line")
    func roleIsValidated() throws {
        var files = PolicyLoader.embeddedFiles
        let index = try #require(files.firstIndex { $0.name == "clients.yaml" })
        let original = files[index].text
        files[index].text = original.replacingOccurrences(
            of: "    default_priority: interactive\n", with: "    default_priority: interactive\n    role: operator\n")
        let policy = try PolicyLoader.load(files: files)
        #expect(policy.client(named: "dev")?.role == .operator && policy.client(named: "batch-jobs")?.role == .client)
        files[index].text = original.replacingOccurrences(
            of: "    default_priority: interactive\n", with: "    default_priority: interactive\n    role: admin\n")
        do {
            _ = try PolicyLoader.load(files: files)
            Issue.record("role: admin was accepted")
        } catch {
            #expect("\(error)".contains("clients.yaml:") && "\(error)".contains("admin"), "\(error)")
        }
    }

    @Test("a one-time link becomes a session cookie; the link cannot be used twice; a forged cookie is refused")
    func linkAndSession() async throws {
        try await Self.run { client, _, _ in
            let issued = try await client.execute(uri: "/dashboard/token", method: .post, headers: [Self.keyHeader: Self.opsKey])
            #expect(issued.status == .ok)
            let url = try #require(issued.json["url"]?.stringValue)
            #expect(url.hasPrefix("/dashboard?token=v1.link.") && !url.contains(Self.opsKey))
            let exchanged = try await Self.get(client, url)
            #expect(exchanged.status == .seeOther && exchanged.header("location") == "/dashboard")
            let cookie = try #require(exchanged.header("set-cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/dashboard"))
            let pair = try #require(cookie.split(separator: ";").first.map(String.init))
            let page = try await Self.get(client, "/dashboard", headers: [.cookie: pair])
            #expect(page.status == .ok && page.text.contains("claude-router: today"))
            #expect(try await Self.get(client, url).status == .unauthorized)
            var forged = pair
            forged.removeLast()
            forged += pair.hasSuffix("0") ? "1" : "0"
            #expect(try await Self.get(client, "/dashboard", headers: [.cookie: forged]).status == .unauthorized)
            let login = try await client.execute(
                uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=" + Self.opsKey))
            #expect(login.status == .seeOther && login.header("set-cookie")?.hasPrefix("claude_router_dashboard=") == true)
        }
    }

    @Test(
        "Chromium renders the dashboard with the ledger's numbers (screenshot in .build/test-artifacts)",
        .enabled(if: DashboardTests.chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func chromiumRendersTheLedgersNumbers() async throws {
        let chromium = try #require(Self.chromium)
        try await Self.run { client, port, path in
            let prompts = [
                "Classify this review as positive or negative: I loved it",
                "Write a Python function that merges two sorted lists",
                "Translate to French: good morning",
            ]
            for prompt in prompts {
                let response = try await client.post("/v1/messages", json: messagesBody(prompt, maxTokens: 200))
                #expect(response.status == .ok)
            }
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: profile) }
            func link() async throws -> String {
                let issued = try await client.execute(
                    uri: "/dashboard/token", method: .post, headers: [Self.keyHeader: Self.opsKey])
                return "http://127.0.0.1:\(port)" + (try #require(issued.json["url"]?.stringValue))
            }
            let browser = [
                "timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=\(profile.path)", "--window-size=1280,2400",
            ]
            let (status, output) = await runOffThePool(browser + ["--dump-dom", try await link()])
            let dom = String(decoding: output, as: UTF8.self)
            #expect(status == 0, "\(dom.suffix(2000))")
            #expect(dom.contains("claude-router: today"), "\(dom.suffix(2000))")

            // The rendered amounts are the ledger's.
            let reader = try ReportReader(path: path)
            let today = UTCDay(containingMillis: SystemClock().nowMillis())
            func report(_ by: ReportDimension) throws -> Report {
                try reader.run(
                    ReportQuery(sinceMillis: today.startMillis, untilMillis: today.startMillis + UTCDay.millis, groupBy: [by]))
            }
            let byModel = try report(.model)
            #expect(byModel.total.requests == 3 && byModel.total.cost.nanoUSD > 0)
            #expect(dom.contains(#"id="spend-today" data-nano="\#(byModel.total.cost.nanoUSD)">$\#(byModel.total.cost.exactDollars)<"#))
            #expect(dom.contains(#"id="requests-today">3<"#))
            for row in byModel.rows {
                let cell = #"data-model="\#(row.labels[0])" data-nano="\#(row.totals.cost.nanoUSD)">$\#(row.totals.cost.exactDollars)<"#
                #expect(dom.contains(cell), "\(cell)")
            }
            for row in try report(.taskType).rows {
                #expect(dom.contains(#"data-task-type="\#(row.labels[0])" data-nano="\#(row.totals.cost.nanoUSD)""#))
            }
            let dev = try #require(try report(.client).rows.first { $0.labels == ["dev"] })
            #expect(dom.contains(#"data-client="dev" data-nano="\#(dev.totals.cost.nanoUSD)""#))
            let routing = byModel.total.savedByRouting
            #expect(dom.contains(#"data-lever="routing" data-nano="\#(routing.nanoUSD)">$\#(routing.exactDollars)<"#))
            #expect(dom.contains(#"<tr data-budget="dev">"#) && dom.contains(#"data-queue="deferred tasks pending">0<"#))
            // Everything is inline: no script, nothing fetched from elsewhere.
            #expect(!dom.contains("<script") && !dom.contains("src=\"http") && !dom.contains("href=\"http"))

            // A screenshot, kept as the test's artifact.
            let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let png = artifacts.appendingPathComponent("dashboard.png")
            try? FileManager.default.removeItem(at: png)
            let shot = await runOffThePool(browser + ["--screenshot=\(png.path)", try await link()])
            #expect(shot.status == 0, "\(String(decoding: shot.output, as: UTF8.self).suffix(2000))")
            let bytes = try Data(contentsOf: png)
            #expect(bytes.count > 10_000 && bytes.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
