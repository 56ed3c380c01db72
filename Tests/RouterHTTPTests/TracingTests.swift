import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RouterCore
import ServiceLifecycle
import Synchronization
import Testing
import UpstreamCurl

@testable import ClaudeSimulator
@testable import RouterHTTP

/// OpenTelemetry traces: a request through the router is exported over OTLP/HTTP (swift-otel's exporter, JSON
/// encoding) to a receiver the test starts on a loopback port, as one trace under the caller's `traceparent`.
@Suite struct TracingTests {
    /// The caller's W3C trace context: trace id, and the id of its own span (the router's request span's parent).
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpanID = "00f067aa0ba902b7"
    static let traceparent = "00-\(traceID)-\(callerSpanID)-01"

    @Test func aRoutedRequestIsOneTraceWithItsSpansAtTheOTLPReceiver() async throws {
        let run = try await Self.traced { client in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Fix the off-by-one bug in this Swift loop: for i in 0...n {}"),
                headers: [HTTPField.Name("traceparent")!: Self.traceparent])
            #expect(response.status == .ok)
        }
        let spans = run.spans
        #expect(!spans.isEmpty)
        #expect(spans.allSatisfy { $0.traceID == Self.traceID }, "every span is in the caller's trace")

        let request = try #require(spans.first { $0.kind == .server }, "a request span")
        #expect(request.parentSpanID == Self.callerSpanID, "under the caller's span")
        #expect(request.name == "POST /v1/messages")
        #expect(request.int("http.response.status_code") == 200)
        #expect(request.string("gen_ai.provider.name") == "anthropic")
        #expect(request.string("gen_ai.operation.name") == "chat")
        #expect(request.string("gen_ai.response.model")?.hasPrefix("claude-") == true)
        #expect((request.int("gen_ai.usage.input_tokens") ?? 0) > 0)
        #expect((request.int("gen_ai.usage.output_tokens") ?? 0) > 0)
        #expect((request.int("router.cost_nano_usd") ?? 0) > 0)
        #expect(request.string("router.client") == "dev")
        #expect(request.string("router.task_type") != nil)

        let children = spans.filter { $0.parentSpanID == request.spanID }
        let names = Set(children.map(\.name))
        #expect(names.contains("classify and route"))
        #expect(names.contains("queue wait"))
        #expect(names.contains("ledger write"))
        let route = try #require(children.first { $0.name == "classify and route" })
        #expect(route.string("gen_ai.request.model") == "auto")
        #expect(route.string("router.task_type") == request.string("router.task_type"))
        #expect(route.string("router.model") == request.string("gen_ai.response.model"))

        let attempt = try #require(children.first { $0.kind == .client }, "an upstream attempt span")
        #expect(attempt.name == "chat \(request.string("gen_ai.response.model") ?? "")")
        #expect(attempt.string("gen_ai.request.model") == request.string("gen_ai.response.model"))
        #expect(attempt.int("http.response.status_code") == 200)
        #expect(attempt.int("router.attempt") == 1)

        let ledger = try #require(children.first { $0.name == "ledger write" })
        #expect(ledger.string("router.ledger.kind") == "request")
        #expect(ledger.int("router.cost_nano_usd") == request.int("router.cost_nano_usd"))

        // The attempt's context went upstream as its `traceparent`: same trace, the attempt span as parent.
        let sent = try #require(run.upstreamTraceparents.first)
        #expect(sent == "00-\(Self.traceID)-\(attempt.spanID)-01")
        #expect(run.upstreamCalls == 1)
        Self.expectNoSecretsOrPrompts(in: spans, prompt: "off-by-one")
    }

    @Test func aStreamedRequestIsTracedToItsLastByte() async throws {
        let run = try await Self.traced { client in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Say hello", stream: true),
                headers: [HTTPField.Name("traceparent")!: Self.traceparent])
            #expect(response.status == .ok)
            #expect(response.text.contains("message_stop"))
        }
        let request = try #require(run.spans.first { $0.kind == .server })
        #expect(request.traceID == Self.traceID)
        #expect((request.int("gen_ai.usage.output_tokens") ?? 0) > 0, "the stream's usage, read at its end")
        let children = run.spans.filter { $0.parentSpanID == request.spanID }
        #expect(children.contains { $0.name == "ledger write" }, "the row recorded after the stream is a child")
    }

    @Test func aProxiedCountTokensCallIsAClientSpanWithTraceparentSentUpstream() async throws {
        let run = try await Self.traced { client in
            let response = try await client.post(
                "/v1/messages/count_tokens",
                json: #"{"model":"auto","messages":[{"role":"user","content":"Count the tokens of this secret plan"}]}"#,
                headers: [HTTPField.Name("traceparent")!: Self.traceparent])
            #expect(response.status == .ok, "\(response.text)")
        }
        let request = try #require(run.spans.first { $0.kind == .server })
        #expect(request.name == "POST /v1/messages/count_tokens")
        #expect(request.parentSpanID == Self.callerSpanID)
        let call = try #require(run.spans.first { $0.kind == .client })
        #expect(call.name == "POST count_tokens")
        #expect(call.parentSpanID == request.spanID)
        #expect(call.int("http.response.status_code") == 200)
        #expect(run.upstreamTraceparents == ["00-\(Self.traceID)-\(call.spanID)-01"])
        Self.expectNoSecretsOrPrompts(in: run.spans, prompt: "secret plan")
    }

    @Test func aQueryStringNeverReachesASpan() async throws {
        let token = "one-time-dashboard-link-token-canary"
        let run = try await Self.traced { client in
            let response = try await client.execute(uri: "/dashboard?token=\(token)", method: .get)
            #expect(response.status != .ok, "an unknown link token opens nothing")
        }
        let request = try #require(run.spans.first { $0.kind == .server })
        #expect(request.string("url.path") == "/dashboard")
        Self.expectNoSecretsOrPrompts(in: run.spans, prompt: token)
    }

    /// A malformed `traceparent` starts a new trace; the failed extraction is logged without the request's other
    /// headers (swift-otel logs the whole carrier it was given).
    @Test(arguments: ["garbage", "00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-00f067aa0ba902b7-01", "00-\(traceID)-0000000000000000-01"])
    func aMalformedTraceparentStartsANewTraceAndLogsNoKey(traceparent: String) async throws {
        let run = try await Self.traced { client in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Say hello"), headers: [HTTPField.Name("traceparent")!: traceparent])
            #expect(response.status == .ok)
        }
        let request = try #require(run.spans.first { $0.kind == .server })
        #expect(request.parentSpanID.isEmpty, "a new trace, not a child of an invalid parent")
        #expect(!run.logLines.isEmpty)
        for line in run.logLines {
            #expect(!line.contains(ServiceHarness.devKey), "client key in a log line: \(line)")
            #expect(!line.contains(Self.upstreamKey), "upstream key in a log line: \(line)")
        }
    }

    @Test func withoutATracerNoTraceparentGoesUpstream() async throws {
        let run = try await Self.traced(tracing: false) { client in
            let response = try await client.post(
                "/v1/messages", json: messagesBody("Say hello"),
                headers: [HTTPField.Name("traceparent")!: Self.traceparent])
            #expect(response.status == .ok)
        }
        #expect(run.upstreamCalls == 1)
        #expect(run.upstreamTraceparents.isEmpty)
        #expect(run.spans.isEmpty)
    }

    /// Off by default: `serve` builds no exporter or tracer unless a flag or an `OTEL_*` variable asks for one.
    @Test(arguments: [
        (nil, [:], false),
        (nil, ["OTEL_SERVICE_NAME": "router"], false),
        ("http://127.0.0.1:4318", [:], true),
        (nil, ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"], true),
        (nil, ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"], true),
        (nil, ["OTEL_TRACES_EXPORTER": "otlp"], true),
        ("http://127.0.0.1:4318", ["OTEL_SDK_DISABLED": "true"], false),
        (nil, ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"], false),
    ] as [(String?, [String: String], Bool)])
    func tracingIsOnlyOnWhenAskedFor(endpoint: String?, environment: [String: String], on: Bool) {
        #expect(OTLPTracing.isEnabled(endpoint: endpoint, environment: environment) == on)
    }

    /// swift-otel stops the process on these settings; the router refuses them at start with a message instead.
    @Test(arguments: [
        (["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "grpc"),
        (["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"], "grpc"),
        (["OTEL_PROPAGATORS": "tracecontext,baggage"], "baggage"),
        (["OTEL_PROPAGATORS": "b3multi"], "b3multi"),
        (["OTEL_TRACES_SAMPLER": "jaeger_remote"], "jaeger_remote"),
        (["OTEL_TRACES_SAMPLER": "xray"], "xray"),
    ])
    func settingsSwiftOTelCannotHonourAreRefused(environment: [String: String], named: String) {
        let error = #expect(throws: TracingConfigurationError.self) {
            _ = try OTLPTracing.make(
                endpoint: "http://127.0.0.1:4318", environment: environment, logger: Logger(label: "tracing-test"))
        }
        #expect(error?.message.contains(named) == true)
    }

    @Test(arguments: [
        [:],
        ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"],
        ["OTEL_PROPAGATORS": "tracecontext"],
        ["OTEL_PROPAGATORS": "none"],
        ["OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"],
    ])
    func supportedSettingsAreAccepted(environment: [String: String]) {
        #expect(OTLPTracing.refusal(environment: environment) == nil)
    }

    @Test func aBatchSubmitAndItsPollAreTracedWithTraceparentSentUpstream() async throws {
        let upstream = HeaderRecordingTransport.Calls()
        let spans = try await Self.receiving { tracer in
            try await BatchHarness().run { env in
                _ = try await env.deferTask("Classify the sentiment of: the batch was traced")
                let scheduler = BatchScheduler(
                    store: env.store, transport: HeaderRecordingTransport(inner: env.transport, calls: upstream),
                    policies: env.policies, callbacks: env.callbacks, logger: Logger(label: "scheduler"),
                    upstreamBaseURL: env.upstreamBaseURL, runner: nil, tracer: tracer)
                let start = env.now()
                #expect(await scheduler.tick(nowMillis: start).submitted.count == 1)
                (env.simulator.clock as? SteppedClock)?.advance(by: 61)  // the simulator's batch has ended
                #expect(await scheduler.tick(nowMillis: start + 6_000).polled == 1)  // poll_interval 5 s
            }
        }
        let submit = try #require(spans.first { $0.name == "batch submit" })
        #expect(submit.parentSpanID.isEmpty, "a root span: no request waits on a batch")
        #expect(submit.int("router.batch.tasks") == 1)
        let batchID = try #require(submit.string("router.batch.id"))
        #expect(submit.string("error.type") == nil)

        let poll = try #require(spans.first { $0.name == "batch poll" })
        #expect(poll.parentSpanID.isEmpty)
        #expect(poll.traceID != submit.traceID, "each scheduler step is its own trace")
        #expect(poll.string("router.batch.id") == batchID)
        #expect(poll.string("router.batch.upstream_id")?.hasPrefix("msgbatch_") == true)
        #expect(poll.bool("router.batch.ended") == true)

        // The API calls are client spans of their step, and each one's context went upstream as its traceparent.
        let submitCalls = spans.filter { $0.parentSpanID == submit.spanID && $0.kind == .client }
        let pollCalls = spans.filter { $0.parentSpanID == poll.spanID && $0.kind == .client }
        #expect(submitCalls.map(\.name).contains("POST batches"))
        #expect(!pollCalls.isEmpty)
        let sent = Set(upstream.traceparents)
        #expect(sent.count == upstream.count, "every batch API call carried a traceparent")
        for call in submitCalls + pollCalls {
            #expect(call.int("http.response.status_code") == 200)
            #expect(sent.contains("00-\(call.traceID)-\(call.spanID)-01"), "\(call.name)")
        }
        Self.expectNoSecretsOrPrompts(in: spans, prompt: "the batch was traced")
    }

    // MARK: - Harness

    /// The upstream key the traced router sends (the simulator accepts any key): it must not reach a span.
    static let upstreamKey = "sk-ant-api03-tracing-test-upstream-secret"

    /// No attribute value (nor span name) holds a key or the prompt's text.
    static func expectNoSecretsOrPrompts(in spans: [ExportedSpan], prompt: String) {
        #expect(!spans.isEmpty)
        for span in spans {
            let texts = [span.name] + span.attributes.map { "\($0.key)=\($0.value)" }
            for text in texts {
                #expect(!text.contains(ServiceHarness.devKey), "client key in \(span.name): \(text)")
                #expect(!text.contains(upstreamKey), "upstream key in \(span.name): \(text)")
                #expect(!text.contains(prompt), "prompt text in \(span.name): \(text)")
            }
        }
    }

    struct Run {
        var spans: [ExportedSpan]
        var upstreamTraceparents: [String]
        var upstreamCalls: Int
        /// Every log line of the router and of swift-otel's diagnostics, as JSON.
        var logLines: [String]
    }

    /// Where the router's and swift-otel's log lines go in these tests.
    static func capturingLogger(_ sink: AccessLogTests.Lines) -> Logger {
        Logger(label: "tracing-test") { label in
            JSONLogHandler(label: label, level: .trace) { line in sink.lines.withLock { $0.append(line) } }
        }
    }

    /// Starts an OTLP receiver on a loopback port and a tracer exporting into it (or none, `tracing: false`), runs
    /// `body` with the tracer, then shuts the exporter down, which flushes every ended span, and returns the spans
    /// the receiver got. The shutdown is bounded: a hung exporter fails the test instead of hanging it.
    static func receiving(
        tracing: Bool = true, logs: AccessLogTests.Lines = AccessLogTests.Lines(),
        _ body: @escaping @Sendable (RouterTracer?) async throws -> Void
    ) async throws -> [ExportedSpan] {
        let receiver = OTLPReceiver()
        try await receiver.application().test(.live) { receiverClient in
            let receiverPort = try #require(receiverClient.port)
            let logger = capturingLogger(logs)
            let made =
                tracing
                ? try OTLPTracing.make(endpoint: "http://127.0.0.1:\(receiverPort)", json: true, logger: logger) : nil
            let group = made.map { ServiceGroup(services: [$0.service], logger: logger) }
            let exporter = group.map { services in Task { try await services.run() } }
            do {
                try await body(made?.tracer)
            } catch {
                await group?.triggerGracefulShutdown()
                throw error
            }
            await group?.triggerGracefulShutdown()
            if let exporter {
                try await withDeadline(seconds: 30) { try await exporter.value }
            }
        }
        return try receiver.spans()
    }

    /// Runs a request flow against a traced router (in front of a live simulator on a loopback port, with an
    /// upstream key set) and returns the spans and the headers that went upstream.
    static func traced(
        tracing: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws -> Run {
        let upstream = HeaderRecordingTransport.Calls()
        let logs = AccessLogTests.Lines()
        let spans = try await receiving(tracing: tracing, logs: logs) { tracer in
            let logger = capturingLogger(logs)
            let simulator = ClaudeSimulator(config: .default, clock: ScaledClock(), logger: Logger(label: "sim"))
            let policy = try ServiceHarness.policy()
            try await simulator.buildApplication(port: 0).test(.live) { simClient in
                let simPort = try #require(simClient.port)
                let curl = CurlHTTPClient()
                let base = "http://127.0.0.1:\(simPort)"
                let service = RouterApplication.forTests(
                    configuration: ServiceConfiguration(upstreamBaseURL: base),
                    policies: PolicyStore(policy: policy, logger: logger),
                    transport: HeaderRecordingTransport(
                        inner: CurlTransport(client: curl, baseURL: base, key: UpstreamKey(upstreamKey)),
                        calls: upstream),
                    recorder: MemoryRecorder(), tracer: tracer, logger: logger)
                do {
                    try await Application(router: service.buildRouter(), logger: logger).test(.router) { client in
                        try await body(client)
                    }
                } catch {
                    await curl.shutdown()
                    throw error
                }
                await curl.shutdown()
            }
        }
        return Run(
            spans: spans, upstreamTraceparents: upstream.traceparents, upstreamCalls: upstream.count,
            logLines: logs.all)
    }
}

/// A bounded wait ran out.
struct DeadlineExceeded: Error {}

/// Runs `body`, failing with `DeadlineExceeded` if it has not finished within `seconds`.
func withDeadline<T: Sendable>(seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
        return value
    }
}

/// A transport that remembers the headers of every call it passes on.
struct HeaderRecordingTransport: UpstreamTransport {
    final class Calls: Sendable {
        let headers = Mutex<[[(name: String, value: String)]]>([])

        /// How many calls went through.
        var count: Int { headers.withLock { $0.count } }

        /// The `traceparent` of each call that had one, in order.
        var traceparents: [String] {
            headers.withLock { $0.compactMap { call in call.first { $0.name == "traceparent" }?.value } }
        }
    }
    let inner: any UpstreamTransport
    let calls: Calls

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        calls.headers.withLock { $0.append(call.headers) }
        return try await inner.send(call)
    }
}

/// An OTLP/HTTP trace receiver (JSON encoding): keeps every export request's body.
final class OTLPReceiver: Sendable {
    let bodies = Mutex<[[UInt8]]>([])

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            self.bodies.withLock { $0.append(Array(body.readableBytesView)) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Every span received, in the order received.
    func spans() throws -> [ExportedSpan] {
        var spans: [ExportedSpan] = []
        for body in bodies.withLock({ $0 }) {
            let json = try JSONValue.parse(body)
            for resource in json["resourceSpans"]?.arrayValue ?? [] {
                for scope in resource["scopeSpans"]?.arrayValue ?? [] {
                    for span in scope["spans"]?.arrayValue ?? [] { spans.append(ExportedSpan(span)) }
                }
            }
        }
        return spans
    }
}

/// One span as OTLP/JSON carries it (ids in base64, as swift-protobuf writes bytes; given here in hex).
struct ExportedSpan {
    enum Kind: Int { case unspecified = 0, `internal`, server, client, producer, consumer }
    var name: String
    var kind: Kind
    var traceID: String
    var spanID: String
    var parentSpanID: String
    var attributes: [String: JSONValue]

    init(_ json: JSONValue) {
        name = json["name"]?.stringValue ?? ""
        kind = Kind(rawValue: json["kind"]?.intValue ?? 0) ?? .unspecified
        traceID = Self.hex(json["traceId"]?.stringValue)
        spanID = Self.hex(json["spanId"]?.stringValue)
        parentSpanID = Self.hex(json["parentSpanId"]?.stringValue)
        var attributes: [String: JSONValue] = [:]
        for attribute in json["attributes"]?.arrayValue ?? [] {
            if let key = attribute["key"]?.stringValue, let value = attribute["value"] { attributes[key] = value }
        }
        self.attributes = attributes
    }

    func string(_ key: String) -> String? { attributes[key]?["stringValue"]?.stringValue }

    func bool(_ key: String) -> Bool? { attributes[key]?["boolValue"]?.boolValue }

    /// An `intValue` (a string in OTLP/JSON: 64-bit).
    func int(_ key: String) -> Int64? {
        guard let value = attributes[key]?["intValue"] else { return nil }
        return value.stringValue.flatMap { Int64($0) } ?? value.intValue.map(Int64.init)
    }

    static func hex(_ base64: String?) -> String {
        guard let base64, let data = Data(base64Encoded: base64) else { return "" }
        return data.map { String(format: "%02x", $0) }.joined()
    }
}
