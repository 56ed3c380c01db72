/// Rebuilds the final `Message` from a stream's events, as the SDKs do: the router uses it to learn the usage and
/// stop reason of a response it passes through event by event.
///
/// Text, thinking and signature deltas are appended to their block; `input_json_delta` pieces are concatenated and
/// parsed into the tool_use block's `input` at `content_block_stop`; `message_delta` sets the stop fields and
/// merges its cumulative usage over the start usage.
public struct MessageAccumulator: Sendable {
    /// The message so far (complete after `message_stop`): the start message with the blocks built so far.
    public var message: Message {
        var result = base
        result.content = blocks
        return result
    }
    /// The stream's `error` event, if one came.
    public private(set) var error: APIError?
    /// True once `message_stop` was seen.
    public private(set) var isComplete = false

    var base = Message(raw: [:])
    var blocks: [ContentBlock] = []
    var partialJSON: [Int: String] = [:]

    /// An empty accumulator.
    public init() {}

    /// Applies one event; events of unknown types, pings and out-of-range indices are ignored.
    public mutating func apply(_ event: StreamEvent) {
        switch event.kind {
        case .messageStart(let start):
            base = start
            blocks = start.content
        case .contentBlockStart(let index, let block):
            guard index >= 0, index <= blocks.count + 1024 else { return }  // a bounded guard against junk indices
            while blocks.count <= index { blocks.append(ContentBlock(raw: [:])) }
            blocks[index] = block
        case .contentBlockDelta(let index, let delta):
            guard blocks.indices.contains(index) else { return }
            switch delta.type {
            case "text_delta": blocks[index].text = (blocks[index].text ?? "") + (delta.text ?? "")
            case "thinking_delta": blocks[index].thinking = (blocks[index].thinking ?? "") + (delta.thinking ?? "")
            case "signature_delta": blocks[index].signature = (blocks[index].signature ?? "") + (delta.signature ?? "")
            case "input_json_delta": partialJSON[index, default: ""] += delta.partialJSON ?? ""
            case "citations_delta":
                if let citation = delta.raw["citation"] {
                    var citations = blocks[index].raw.array("citations") ?? []
                    citations.append(citation)
                    blocks[index].raw["citations"] = .array(citations)
                }
            default: break
            }
        case .contentBlockStop(let index):
            guard blocks.indices.contains(index), let json = partialJSON.removeValue(forKey: index) else { return }
            if !json.isEmpty, let input = try? JSONValue.parse(json) { blocks[index].input = input }
        case .messageDelta(let delta):
            if let fields = delta.raw.object("delta") {
                for (key, value) in fields { base.raw[key] = value }
            }
            if let usage = Usage(json: delta.raw["usage"]) {
                var merged = base.usage
                merged.merge(usage)
                base.usage = merged
            }
        case .messageStop:
            isComplete = true
        case .error(let apiError):
            error = apiError
        case .ping, .unknown:
            break
        }
    }
}
