/// One event of a streamed `POST /v1/messages` response, as a view over its `data:` JSON.
///
/// `kind` tells the known events apart; unknown event types are kept whole (`.unknown`), and the SDKs ignore
/// them, so the router passes them through.
public struct StreamEvent: JSONView {
    /// What an event is, with its typed payload.
    public enum Kind: Sendable, Hashable {
        /// `message_start`: the message with empty content and the initial usage.
        case messageStart(Message)
        /// `content_block_start`: block `index` begins with `block` (empty text, `input: {}`, …).
        case contentBlockStart(index: Int, block: ContentBlock)
        /// `content_block_delta`: a piece of block `index`.
        case contentBlockDelta(index: Int, delta: ContentDelta)
        /// `content_block_stop`: block `index` is complete.
        case contentBlockStop(index: Int)
        /// `message_delta`: the stop reason and the cumulative usage.
        case messageDelta(MessageDelta)
        /// `message_stop`: the end.
        case messageStop
        /// `ping`: keep-alive.
        case ping
        /// `error`: the stream failed after the 200.
        case error(APIError)
        /// Any other type, kept as its string.
        case unknown(String)
    }

    /// The event's data object.
    public var raw: JSONObject

    /// Wraps an event's data object.
    public init(raw: JSONObject) { self.raw = raw }

    /// Decodes an SSE event's data; the `type` member names the event, else the SSE `event:` name.
    ///
    /// - Throws: `WireError` when the data is not a JSON object.
    public init(_ event: ServerSentEvent) throws(WireError) {
        let value: JSONValue
        do { value = try JSONValue.parse(event.data) } catch { throw .syntax(error) }
        guard case .object(var object) = value else { throw .type("data", expected: "an object", got: value) }
        if object["type"] == nil, let name = event.event { object["type"] = .string(name) }
        self.init(raw: object)
    }

    /// `type`, which equals the SSE event name.
    public var type: String { raw.string("type") ?? "" }

    /// The event with its typed payload.
    public var kind: Kind {
        let index = raw.int("index") ?? 0
        switch type {
        case "message_start": return .messageStart(Message(json: raw["message"]) ?? Message(raw: [:]))
        case "content_block_start":
            return .contentBlockStart(index: index, block: ContentBlock(json: raw["content_block"]) ?? .init(raw: [:]))
        case "content_block_delta":
            return .contentBlockDelta(index: index, delta: ContentDelta(json: raw["delta"]) ?? .init(raw: [:]))
        case "content_block_stop": return .contentBlockStop(index: index)
        case "message_delta": return .messageDelta(MessageDelta(raw: raw))
        case "message_stop": return .messageStop
        case "ping": return .ping
        case "error": return .error(APIError(json: raw["error"]) ?? APIError(type: .api, message: ""))
        default: return .unknown(type)
        }
    }

    /// The event as SSE (`event:` = its type, `data:` = its compact JSON).
    public var serverSentEvent: ServerSentEvent {
        ServerSentEvent(event: type, data: jsonString())
    }

    /// A `message_start` event.
    public static func messageStart(_ message: Message) -> StreamEvent {
        StreamEvent(raw: ["type": "message_start", "message": .object(message.raw)])
    }

    /// A `content_block_start` event.
    public static func contentBlockStart(index: Int, block: ContentBlock) -> StreamEvent {
        StreamEvent(raw: [
            "type": "content_block_start", "index": .number(JSONNumber(index)), "content_block": .object(block.raw),
        ])
    }

    /// A `content_block_delta` event.
    public static func contentBlockDelta(index: Int, delta: ContentDelta) -> StreamEvent {
        StreamEvent(raw: [
            "type": "content_block_delta", "index": .number(JSONNumber(index)), "delta": .object(delta.raw),
        ])
    }

    /// A `content_block_stop` event.
    public static func contentBlockStop(index: Int) -> StreamEvent {
        StreamEvent(raw: ["type": "content_block_stop", "index": .number(JSONNumber(index))])
    }

    /// A `message_delta` event with the stop reason and cumulative usage.
    public static func messageDelta(stopReason: String?, stopSequence: String? = nil, usage: Usage) -> StreamEvent {
        StreamEvent(raw: [
            "type": "message_delta",
            "delta": [
                "stop_reason": .stringOrNull(stopReason), "stop_sequence": .stringOrNull(stopSequence),
            ],
            "usage": .object(usage.raw),
        ])
    }

    /// The `message_stop` event.
    public static let messageStop = StreamEvent(raw: ["type": "message_stop"])

    /// The `ping` event.
    public static let ping = StreamEvent(raw: ["type": "ping"])

    /// An `error` event.
    public static func error(_ error: APIError) -> StreamEvent {
        StreamEvent(raw: ["type": "error", "error": .object(error.raw)])
    }
}
