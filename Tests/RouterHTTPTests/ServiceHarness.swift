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
import UpstreamCurl
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Collects ledger rows in memory, and keeps the running spend from them as the ledger does (a `SpendSource`
/// a test may hand the service).
final class MemoryRecorder: UsageRecorder, SpendSource {
    let rows = Mutex<[UsageRecord]>([])
    let totals = Mutex(SpendTotals())
    func record(_ row: UsageRecord) async {
        rows.withLock { $0.append(row) }
        if row.kind == .request {
            totals.withLock {
                $0.add(client: row.client, taskType: row.taskType, cost: row.cost, atMillis: row.timestampMillis)
            }
        }
    }
    func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
        totals.withLock {
            $0.spend(client: client, taskType: taskType, today: UTCDay(containingMillis: SystemClock().nowMillis()))
        }
    }
    var all: [UsageRecord] { rows.withLock { $0 } }
    var requests: [UsageRecord] { all.filter { $0.kind == .request } }
}

/// Keeps every log line, to check what reaches the logs.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in CapturingHandler(sink: self) }
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let meta = (event.metadata ?? [:]).merging(metadata) { a, _ in a }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(meta)") }
        }
    }
}

/// A router service in front of a live simulator on a loopback port, driven through HummingbirdTesting.
struct ServiceHarness {
    static let devKey = "dev-key-change-me"
    static let limitedKey = "limited-key-for-tests"

    /// The embedded default policy, with an extra client that may use haiku only, and optional edits.
    static func policy(limitsYAML: String? = nil) throws -> Policy {
        var files = PolicyLoader.embeddedFiles
        if let index = files.firstIndex(where: { $0.name == "clients.yaml" }) {
            files[index].text += """

                  - name: limited
                    key_sha256: \(SHA256.hex(Array(limitedKey.utf8)))
                    allowed_tiers: [haiku]

                """
        }
        if let limitsYAML, let index = files.firstIndex(where: { $0.name == "limits.yaml" }) {
            files[index].text = limitsYAML
        }
        return try PolicyLoader.load(files: files)
    }

    var policy: Policy
    var simulatorConfig = SimulatorConfig.default
    var recorder = MemoryRecorder()
    /// The running spend the budget checks read (none by default).
    var spend: any SpendSource = NoSpend()
    var logger = Logger(label: "router-test")
    var upstreamKey: UpstreamKey? = nil
    var maxRequestBytes = 32 * 1024 * 1024
    /// Serve the router on a real loopback port (for external clients such as the Python SDK).
    var live = false

    init(policy: Policy? = nil) throws {
        self.policy = try policy ?? Self.policy()
    }

    func run(
        _ body: @Sendable (_ client: any TestClientProtocol, _ simulator: ClaudeSimulator) async throws -> Void
    ) async throws {
        let simulator = ClaudeSimulator(config: simulatorConfig, clock: ScaledClock(), logger: Logger(label: "sim"))
        let policy = self.policy
        let recorder = self.recorder
        let spend = self.spend
        let logger = self.logger
        let key = upstreamKey
        let maxBytes = maxRequestBytes
        let live = self.live
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let port = try #require(simClient.port)
            let curl = CurlHTTPClient()
            // Buckets, margin and queue bounds from limits.yaml, as `claude-router serve` passes them.
            let pacer = Pacer(policy: policy.limits)
            let service = RouterApplication.forTests(
                configuration: ServiceConfiguration(
                    upstreamBaseURL: "http://127.0.0.1:\(port)", upstreamKey: key, maxRequestBytes: maxBytes,
                    forwardSimulatorHeaders: true),
                policies: PolicyStore(policy: policy, logger: logger),
                transport: CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(port)", key: key), pacing: pacer,
                recorder: recorder, spend: spend, logger: logger)
            let app = Application(router: service.buildRouter(), logger: logger)
            try await app.test(live ? .live : .router) { client in try await body(client, simulator) }
            await curl.shutdown()
        }
    }
}

extension TestClientProtocol {
    /// POSTs JSON with a client key, as an SDK would.
    func post(_ path: String, key: String? = ServiceHarness.devKey, json: String, headers extra: HTTPFields = [:])
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("anthropic-version")!: "2023-06-01"]
        if let key { headers[HTTPField.Name("x-api-key")!] = key }
        for field in extra { headers.append(field) }
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSONValue { (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}

func messagesBody(_ text: String, model: String = "auto", maxTokens: Int = 64, stream: Bool = false, extra: String = "")
    -> String
{
    let escaped = JSONValue.string(text).jsonString()
    return #"{"model":"\#(model)","max_tokens":\#(maxTokens),"stream":\#(stream),"messages":[{"role":"user","content":\#(escaped)}]\#(extra)}"#
}
