import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PolicyYAML
import RouterCore
import Synchronization
import Testing
import UpstreamCurl
import UsageLedger

@testable import ClaudeSimulator
@testable import RouterHTTP

/// A router with a durable task queue in a temporary SQLite file, in front of a live simulator on a loopback port.
/// The simulator runs on a manual clock (or an accelerated one), and the test drives the batch scheduler's ticks.
struct BatchHarness {
    static let batchesYAML = """
        enabled: true
        max_batch_size: 100
        max_wait_seconds: 0
        poll_interval_seconds: 5
        max_poll_interval_seconds: 60
        min_deadline_seconds: 3600
        defer_background: true
        max_pending_per_client: 50
        max_attempts: 3
        callback_timeout_seconds: 5
        callback_max_attempts: 3
        max_sync_runs: 4
        callback_allow_hosts: [127.0.0.1]
        """

    /// The test policy with `batches.yaml` replaced (`edits` are applied to the text above: key → value).
    static func policy(_ edits: [String: String] = [:]) throws -> Policy {
        var files = PolicyLoader.embeddedFiles
        var yaml = batchesYAML
        for (key, value) in edits {
            yaml = yaml.split(separator: "\n").map { $0.hasPrefix(key + ":") ? "\(key): \(value)" : String($0) }
                .joined(separator: "\n")
        }
        if let index = files.firstIndex(where: { $0.name == "batches.yaml" }) { files[index].text = yaml + "\n" }
        var policy = try ServiceHarness.policy()
        let batches = try PolicyLoader.load(files: files).batches
        policy.batches = batches
        return policy
    }

    /// What a test body gets.
    struct Env: Sendable {
        let client: any TestClientProtocol
        let simulator: ClaudeSimulator
        let service: RouterApplication
        let store: TaskStore
        let path: String
        let transport: CurlTransport
        let policies: PolicyStore
        let callbacks: CurlCallbackSender
        let simPort: Int
        /// Where the service's synchronous calls (including synchronous runs of deferred tasks) record their rows.
        let recorder: MemoryRecorder
        /// Every call the service (not the scheduler) sent upstream.
        let upstream: RecordingTransport

        /// The simulator's base URL (the configured upstream).
        var upstreamBaseURL: String { "http://127.0.0.1:\(simPort)" }

        /// A scheduler on the service's queue with its own transport and runner (nil: none), the upstream origin set.
        func scheduler(
            transport: (any UpstreamTransport)? = nil, runner: (any DeferredTaskRunner)?, maxConcurrentRuns: Int? = nil
        ) -> BatchScheduler {
            BatchScheduler(
                store: store, transport: transport ?? self.transport, policies: policies, callbacks: callbacks,
                logger: Logger(label: "scheduler"), upstreamBaseURL: upstreamBaseURL, runner: runner,
                maxConcurrentRuns: maxConcurrentRuns)
        }

        /// A fresh scheduler on a fresh connection to the same database: what a restarted process would have.
        func restartedScheduler() throws -> BatchScheduler {
            BatchScheduler(
                store: TaskStore(queue: try TaskQueue(path: path)), transport: transport, policies: policies,
                callbacks: callbacks, logger: Logger(label: "scheduler"))
        }

        /// The scheduler of the running service.
        func scheduler() -> BatchScheduler {
            service.makeBatchScheduler(callbacks: callbacks)!
        }

        /// Milliseconds since the epoch now, plus `seconds`.
        func now(plus seconds: Int64 = 0) -> Int64 { SystemClock().nowMillis() + seconds * 1000 }

        /// The simulator's batches, newest first.
        func upstreamBatches() -> [BatchStore.Batch] { simulator.batches.all() }

        /// The ledger's rows.
        func ledgerRows() throws -> [UsageRecord] { try ReportReader(path: path).usageRows() }

        /// `GET /v1/tasks/{id}` as `key`.
        func getTask(_ id: String, key: String = ServiceHarness.devKey) async throws -> TestResponse {
            try await client.execute(
                uri: "/v1/tasks/\(id)", method: .get, headers: [HTTPField.Name("x-api-key")!: key])
        }

        /// Posts a background task and returns its id (expects the 202).
        func deferTask(_ text: String = "Classify the sentiment of: I love it", extra: String = "") async throws -> String {
            let response = try await client.post(
                "/v1/tasks",
                json: #"{"task_type":"classification","priority":"background","max_tokens":32,"messages":[{"role":"user","content":"\#(text)"}]\#(extra)}"#)
            #expect(response.status == .accepted, "\(response.text)")
            return try #require(response.json["id"]?.stringValue)
        }
    }

    var policy: Policy
    var simulatorConfig: SimulatorConfig
    var clock: any SimulatorClock
    var pacing: any ReconfigurablePacing = UnpacedPacing()
    /// The service's clock (the wall clock unless a test steps it).
    var routerClock: any RouterClock = SystemClock()
    /// The service's store of synchronous task results.
    var taskResults = TaskResults()
    /// The running spend the service's budget checks read.
    var spend: any SpendSource = NoSpend()

    init(policy: Policy? = nil, batchSeconds: Double = 60, clock: (any SimulatorClock)? = nil) throws {
        self.policy = try policy ?? Self.policy()
        var config = SimulatorConfig.default
        config.batchProcessingSeconds = batchSeconds
        self.simulatorConfig = config
        self.clock = clock ?? SteppedClock()
    }

    func run(_ body: @Sendable (Env) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("batch-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let simulator = ClaudeSimulator(config: simulatorConfig, clock: clock, logger: Logger(label: "sim"))
        let policy = self.policy
        let pacing = self.pacing
        let routerClock = self.routerClock
        let taskResults = self.taskResults
        let spend = self.spend
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let port = try #require(simClient.port)
            let curl = CurlHTTPClient()
            let logger = Logger(label: "router-test")
            let store = TaskStore(queue: try TaskQueue(path: path))
            let recorder = MemoryRecorder()
            let transport = CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(port)", key: nil)
            let policies = PolicyStore(policy: policy, logger: logger)
            let recording = RecordingTransport(inner: transport)
            let service = RouterApplication.forTests(
                configuration: ServiceConfiguration(upstreamBaseURL: "http://127.0.0.1:\(port)"),
                policies: policies, transport: recording, pacing: pacing, recorder: recorder, spend: spend, clock: routerClock,
                tasks: taskResults, taskStore: store, logger: logger)
            let app = Application(router: service.buildRouter(), logger: logger)
            try await app.test(.router) { client in
                try await body(
                    Env(
                        client: client, simulator: simulator, service: service, store: store, path: path,
                        transport: transport, policies: policies, callbacks: CurlCallbackSender(client: curl),
                        simPort: port, recorder: recorder, upstream: recording))
            }
            await curl.shutdown()
        }
    }
}

/// A tiny HTTP server on 127.0.0.1:0 that records the callbacks it receives; `/fail` answers 500.
struct CallbackReceiver {
    let received = MutexBox<[JSONValue]>([])

    func run(_ body: @Sendable (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        let received = self.received
        router.post("/hook") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let value = (try? JSONValue.parse(Array(buffer.readableBytesView))) ?? .null
            received.withLock { $0.append(value) }
            return Response(status: .ok)
        }
        router.post("/fail") { _, _ -> Response in Response(status: .internalServerError) }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            .test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))")
            }
    }

    var bodies: [JSONValue] { received.withLock { $0 } }
}

/// A simulator clock the test moves by hand (the simulator's own `ManualClock` is shadowed in this module by the
/// dispatch tests' clock of the same name).
final class SteppedClock: SimulatorClock {
    let seconds = Mutex<Double>(1_795_824_000)
    func now() -> Double { seconds.withLock { $0 } }
    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}

/// A pacer whose lanes report no headroom: interactive traffic has used the rate limit up.
struct SaturatedPacing: ReconfigurablePacing {
    func acquire(
        bucket: String, priority: AdmissionQueue.Priority, deadlineMillis: Int64?, input: Int64, maxOutput: Int64
    ) async throws -> Reservation {
        Reservation(inputTokens: input, outputTokens: maxOutput, grantedAt: 0)
    }
    func settle(bucket: String, reservation: Reservation, usage: TokenUsage?, requestSent: Bool) {}
    func observe(bucket: String, status: Int, header: (String) -> String?) {}
    func apply(policy limits: LimitsConfig) {}
    func laneSnapshots() -> [LaneSnapshot] {
        ["haiku-4-5", "sonnet-4", "opus-4"].map {
            LaneSnapshot(
                bucket: $0, headroom: Headroom(requests: 0, inputTokens: 0, outputTokens: 0), interactiveDepth: 3,
                backgroundDepth: 0)
        }
    }
}

/// A transport that loses its answer to the first batch create call: `forward` decides whether the call reached
/// the API first (created upstream, answer lost) or not (nothing created).
final class LosingTransport: UpstreamTransport {
    let inner: any UpstreamTransport
    let forward: Bool
    let lost = Mutex(false)

    init(inner: any UpstreamTransport, forward: Bool) {
        self.inner = inner
        self.forward = forward
    }

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let lose = call.method == "POST" && call.path == "/v1/messages/batches" && lost.withLock { lost in
            defer { lost = true }
            return !lost
        }
        guard lose else { return try await inner.send(call) }
        if forward { _ = try await inner.send(call).collectBody(upTo: 1 << 20) }
        throw UpstreamTransportError(kind: .timedOut, message: "timed out waiting for the answer")
    }
}

/// A transport that records every call (method, path, headers) and can rewrite the `results_url` of batch status
/// answers, as an API on another host would send them.
final class RecordingTransport: UpstreamTransport {
    struct Call: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: [UInt8]
    }

    let inner: any UpstreamTransport
    let calls = Mutex<[Call]>([])
    /// When set, batch status answers carry this `results_url` (given the batch id) instead of the API's.
    let resultsURL = Mutex<(@Sendable (String) -> String)?>(nil)

    init(inner: any UpstreamTransport) {
        self.inner = inner
    }

    var all: [Call] { calls.withLock { $0 } }

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        var headers: [String: String] = [:]
        for (name, value) in call.headers { headers[name.lowercased()] = value }
        calls.withLock { $0.append(Call(method: call.method, path: call.path, headers: headers, body: call.body ?? [])) }
        let reply = try await inner.send(call)
        guard call.method == "GET", call.path.hasPrefix("/v1/messages/batches/msgbatch_"),
            !call.path.contains("/results"), let rewrite = resultsURL.withLock({ $0 })
        else { return reply }
        let body = try await reply.collectBody(upTo: 1 << 20)
        guard case .object(var object) = try JSONValue.parse(body), let id = object["id"]?.stringValue,
            object["results_url"]?.stringValue != nil
        else { return UpstreamReply(status: reply.status, headers: reply.headers, body: Self.stream(body)) }
        object["results_url"] = .string(rewrite(id))
        return UpstreamReply(
            status: reply.status, headers: reply.headers, body: Self.stream(JSONValue.object(object).serialized()))
    }

    static func stream(_ bytes: [UInt8]) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            continuation.yield(bytes)
            continuation.finish()
        }
    }
}

/// A tiny HTTP server on 127.0.0.1:0 that records the path of every request it receives (any method, any path) and
/// answers 200 with an empty JSONL body: "another host" that must never be called.
struct RequestLog {
    let paths = MutexBox<[String]>([])

    struct Recording: RouterMiddleware {
        let paths: MutexBox<[String]>
        func handle(
            _ request: Request, context: BasicRequestContext,
            next: @concurrent (Request, BasicRequestContext) async throws -> Response
        ) async throws -> Response {
            paths.withLock { $0.append(request.uri.description) }
            return Response(status: .ok)
        }
    }

    func run(_ body: @Sendable (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        router.middlewares.add(Recording(paths: paths))
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            .test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))")
            }
    }

    var all: [String] { paths.withLock { $0 } }
}

/// A task runner that holds every run until the test opens the gate, and counts how many ran at once.
final class GatedRunner: DeferredTaskRunner {
    struct State {
        var running = 0
        var most = 0
        var started: [String] = []
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let state = Mutex(State())

    var most: Int { state.withLock { $0.most } }
    var started: [String] { state.withLock { $0.started } }
    var running: Int { state.withLock { $0.running } }

    func runNow(_ task: DeferredTask) async -> TaskRunOutcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resume = state.withLock { s -> Bool in
                s.running += 1
                s.most = max(s.most, s.running)
                s.started.append(task.id)
                if s.open { return true }
                s.waiters.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
        state.withLock { $0.running -= 1 }
        return TaskRunOutcome(resultJSON: #"{"type":"message","gated":true}"#, error: nil, costNano: 7)
    }

    /// Lets every held run (and every later one) finish.
    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
