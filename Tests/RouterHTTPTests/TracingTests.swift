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
        // Nothing secret or prompt-like in any attribute.
        for span in spans {
            for (_, value) in span.attributes {
                let text = "\(value)"
                #expect(!text.contains(ServiceHarness.devKey) && !text.contains("off-by-one"))
            }
        }
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

    // MARK: - Harness

    struct Run {
        var spans: [ExportedSpan]
        var upstreamTraceparents: [String]
        var upstreamCalls: Int
    }

    /// Starts an OTLP receiver and the simulator on loopback ports, a router traced into the receiver (or not),
    /// runs `body` against the router, then shuts the exporter down (which flushes every ended span) and returns
    /// what the receiver got.
    static func traced(
        tracing: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws -> Run {
        let receiver = OTLPReceiver()
        let upstream = HeaderRecordingTransport.Calls()
        try await receiver.application().test(.live) { receiverClient in
            let receiverPort = try #require(receiverClient.port)
            let logger = Logger(label: "tracing-test")
            let made =
                tracing
                ? try OTLPTracing.make(endpoint: "http://127.0.0.1:\(receiverPort)", json: true, logger: logger) : nil
            let tracer = made?.tracer
            let group = made.map { ServiceGroup(services: [$0.service], logger: logger) }
            let exporter = group.map { services in Task { try await services.run() } }
            let simulator = ClaudeSimulator(config: .default, clock: ScaledClock(), logger: Logger(label: "sim"))
            let policy = try ServiceHarness.policy()
            try await simulator.buildApplication(port: 0).test(.live) { simClient in
                let simPort = try #require(simClient.port)
                let curl = CurlHTTPClient()
                let base = "http://127.0.0.1:\(simPort)"
                let service = RouterService(
                    configuration: ServiceConfiguration(upstreamBaseURL: base),
                    policies: PolicyStore(policy: policy, logger: logger),
                    transport: HeaderRecordingTransport(
                        inner: CurlTransport(client: curl, baseURL: base, key: nil), calls: upstream),
                    recorder: MemoryRecorder(), tracer: tracer, logger: logger)
                try await Application(router: service.buildRouter(), logger: logger).test(.router) { client in
                    try await body(client)
                }
                await curl.shutdown()
            }
            // Every span has ended (the responses are complete); shutting down flushes them to the receiver.
            await group?.triggerGracefulShutdown()
            try await exporter?.value
        }
        let headers = upstream.headers.withLock { $0 }
        return Run(
            spans: try receiver.spans(),
            upstreamTraceparents: headers.compactMap { call in call.first { $0.name == "traceparent" }?.value },
            upstreamCalls: headers.count)
    }
}

/// A transport that remembers the headers of every call it passes on.
struct HeaderRecordingTransport: UpstreamTransport {
    final class Calls: Sendable {
        let headers = Mutex<[[(name: String, value: String)]]>([])
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
