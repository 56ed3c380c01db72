import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RouterCore
import Synchronization
import Testing

@testable import RouterHTTP

/// The bill of one call, computed the way the API's pricing page states it, from a usage object and a price table
/// typed in here from the published prices (docs/costs.md, the API's pricing page): nothing of the router's
/// pricing code or policy is used.
enum BillingOracle {
    /// Published prices in micro-dollars per million tokens (= pico-dollars per token), and the `inference_geo: us`
    /// multiplier in percent (110 on the 4.6 models; the earlier ones do not offer the parameter).
    struct Prices {
        var input: Int64
        var output: Int64
        var write5m: Int64
        var write1h: Int64
        var read: Int64
        var usPercent: Int64
    }

    static let haiku45 = Prices(input: 1_000_000, output: 5_000_000, write5m: 1_250_000, write1h: 2_000_000, read: 100_000, usPercent: 100)
    static let sonnet4x = Prices(input: 3_000_000, output: 15_000_000, write5m: 3_750_000, write1h: 6_000_000, read: 300_000, usPercent: 100)
    static let opus4x = Prices(input: 5_000_000, output: 25_000_000, write5m: 6_250_000, write1h: 10_000_000, read: 500_000, usPercent: 100)

    static let table: [String: Prices] = {
        var sonnet46 = sonnet4x
        sonnet46.usPercent = 110
        var opus46 = opus4x
        opus46.usPercent = 110
        return [
            "claude-haiku-4-5": haiku45, "claude-haiku-4-5-20251001": haiku45,
            "claude-sonnet-4-6": sonnet46, "claude-opus-4-6": opus46,
            "claude-sonnet-4-5": sonnet4x, "claude-sonnet-4-5-20250929": sonnet4x,
            "claude-opus-4-5": opus4x, "claude-opus-4-5-20251101": opus4x,
        ]
    }()

    /// $10 per 1,000 web searches: 10,000,000 nano-dollars a search.
    static let webSearchNano: Int64 = 10_000_000

    /// The counts of a usage object as the API defines them.
    struct Counts: Equatable, CustomStringConvertible {
        var input: Int64 = 0
        var output: Int64 = 0
        var write5m: Int64 = 0
        var write1h: Int64 = 0
        var read: Int64 = 0
        var searches: Int64 = 0
        var geo: String?

        /// From a whole usage object (`cache_creation` split; without it every write is 5-minute).
        init(_ usage: JSONValue?) {
            func n(_ v: JSONValue?) -> Int64 { Int64(v?.intValue ?? 0) }
            input = n(usage?["input_tokens"])
            output = n(usage?["output_tokens"])
            read = n(usage?["cache_read_input_tokens"])
            if let split = usage?["cache_creation"], split.objectValue != nil {
                write5m = n(split["ephemeral_5m_input_tokens"])
                write1h = n(split["ephemeral_1h_input_tokens"])
            } else {
                write5m = n(usage?["cache_creation_input_tokens"])
            }
            searches = n(usage?["server_tool_use"]?["web_search_requests"])
            geo = usage?["inference_geo"]?.stringValue
        }

        init() {}

        /// A stream's usage: `message_start`'s, with the fields a `message_delta` carries replacing the start's
        /// (cumulative). The delta's cache-write total has no TTL split: the 1-hour part stays the start's.
        static func stream(start: JSONValue?, delta: JSONValue?) -> Counts {
            var c = Counts(start)
            guard let delta else { return c }
            if let v = delta["input_tokens"]?.intValue { c.input = Int64(v) }
            if let v = delta["output_tokens"]?.intValue { c.output = Int64(v) }
            if let v = delta["cache_read_input_tokens"]?.intValue { c.read = Int64(v) }
            if let v = delta["cache_creation_input_tokens"]?.intValue { c.write5m = Int64(v) - c.write1h }
            if let v = delta["server_tool_use"]?["web_search_requests"]?.intValue { c.searches = Int64(v) }
            return c
        }

        var description: String {
            "in \(input) out \(output) w5m \(write5m) w1h \(write1h) read \(read) searches \(searches) geo \(geo ?? "-")"
        }
    }

    /// The bill in nano-dollars: tokens × prices (× 50 % for a batch, × the geo multiplier), rounded half up to the
    /// nano-dollar, plus the searches.
    static func bill(model: String, _ c: Counts, batch: Bool = false) throws -> Int64 {
        let p = try #require(table[model], "no published price for \(model)")
        let pico =
            Int128(c.input) * Int128(p.input) + Int128(c.output) * Int128(p.output) + Int128(c.write5m)
            * Int128(p.write5m) + Int128(c.write1h) * Int128(p.write1h) + Int128(c.read) * Int128(p.read)
        let percent = Int128(batch ? 50 : 100) * Int128(c.geo == "us" ? p.usPercent : 100)
        let scaled = pico * percent  // pico-dollars × 10^4
        let divisor: Int128 = 10_000 * 1000
        let nano = (scaled + divisor / 2) / divisor
        return Int64(nano) + c.searches * webSearchNano
    }

    /// The usage objects of an SSE body as the client received it: `message_start`'s and the last `message_delta`'s.
    static func streamUsage(_ text: String) -> (model: String?, start: JSONValue?, delta: JSONValue?) {
        var model: String?
        var start: JSONValue?
        var delta: JSONValue?
        for line in text.split(separator: "\n") where line.hasPrefix("data: ") {
            guard let event = try? JSONValue.parse(Array(line.dropFirst(6).utf8)) else { continue }
            switch event["type"]?.stringValue {
            case "message_start":
                start = event["message"]?["usage"]
                model = event["message"]?["model"]?.stringValue
            case "message_delta": delta = event["usage"]
            default: break
            }
        }
        return (model, start, delta)
    }
}

/// A transport that answers from a script: per call, a status, headers and body chunks, then optionally a failure
/// in the middle of the body (a cut stream, an unreadable body).
final class ScriptedTransport: UpstreamTransport {
    struct Reply: Sendable {
        var status: Int = 200
        var contentType = "application/json"
        var chunks: [[UInt8]]
        /// Fail after the chunks (the connection reset mid-body).
        var cut = false
    }

    private let replies: Mutex<[Reply]>
    let calls = Mutex(0)

    init(_ replies: [Reply]) { self.replies = Mutex(replies) }

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        calls.withLock { $0 += 1 }
        guard let reply = replies.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            throw UpstreamTransportError(kind: .connectFailed, message: "no scripted reply left")
        }
        let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
            for chunk in reply.chunks { continuation.yield(chunk) }
            if reply.cut {
                continuation.finish(
                    throwing: UpstreamTransportError(kind: .connectionReset, message: "cut", responseStarted: true))
            } else {
                continuation.finish()
            }
        }
        return UpstreamReply(
            status: reply.status, headers: [("content-type", reply.contentType), ("request-id", "req_scripted")],
            body: body)
    }

    /// A service on `transport` (no network), its rows in `recorder`, run through HummingbirdTesting's router.
    static func run(
        _ transport: any UpstreamTransport, policy: Policy, recorder: MemoryRecorder,
        spend: any SpendSource = NoSpend(), logger: Logger = Logger(label: "router-test"),
        _ body: @Sendable (any TestClientProtocol, RouterApplication) async throws -> Void
    ) async throws {
        let service = RouterApplication.forTests(
            configuration: ServiceConfiguration(), policies: PolicyStore(policy: policy, logger: logger),
            transport: transport, recorder: recorder, spend: spend, logger: logger)
        let app = Application(router: service.buildRouter(), logger: logger)
        try await app.test(.router) { client in try await body(client, service) }
    }
}

/// SSE text of a scripted stream.
enum ScriptedStream {
    static func event(_ type: String, _ data: String) -> [UInt8] { Array("event: \(type)\ndata: \(data)\n\n".utf8) }

    /// A whole stream of `model` whose start reports `start` and whose final delta reports `delta` (usage JSON).
    static func events(model: String, start: String, delta: String, text: [String]) -> [[UInt8]] {
        var events = [
            event(
                "message_start",
                #"{"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"\#(model)","content":[],"stop_reason":null,"stop_sequence":null,"usage":\#(start)}}"#),
            event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ]
        for piece in text {
            events.append(
                event(
                    "content_block_delta",
                    #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(JSONValue.string(piece).jsonString())}}"#))
        }
        events.append(event("content_block_stop", #"{"type":"content_block_stop","index":0}"#))
        events.append(
            event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":\#(delta)}"#))
        events.append(event("message_stop", #"{"type":"message_stop"}"#))
        return events
    }
}
