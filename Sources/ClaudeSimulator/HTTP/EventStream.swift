import ClaudeAPI
import Hummingbird

/// Writes a simulated message as the API's server-sent events: `message_start`, then per block
/// `content_block_start`, `ping` (after the first), `content_block_delta`… (`thinking_delta`s then one
/// `signature_delta` for a thinking block), `content_block_stop`, then
/// `message_delta` with cumulative usage and `message_stop`. With `failure` set, an `error` event follows the
/// first delta and the stream ends there, as when the API overloads mid-answer.
struct EventStream: Sendable {
    let message: SimulatedMessage
    let tokensPerDelta: Int
    let interDeltaDelay: Int
    let failure: String?

    /// The events, in order, as (name, data) pairs.
    func events() -> [(String, JSONValue)] {
        var events: [(String, JSONValue)] = []
        events.append(("message_start", ["type": "message_start", "message": message.json(serviceTier: "standard", streamingStart: true)]))
        var failed = false
        for (index, block) in message.content.enumerated() where !failed {
            let i = JSONValue.number(JSONNumber(index))
            var start = block
            var deltas: [JSONValue] = []
            switch block["type"]?.stringValue {
            case "thinking":
                start = ["type": "thinking", "thinking": "", "signature": ""]
                let thinking = block["thinking"]?.stringValue ?? ""
                // With display "omitted" the thinking is empty: only the signature is sent.
                if !thinking.isEmpty {
                    deltas = Self.wordChunks(of: thinking, words: tokensPerDelta).map {
                        ["type": "thinking_delta", "thinking": .string($0)]
                    }
                }
                deltas.append(["type": "signature_delta", "signature": block["signature"] ?? ""])
            case "tool_use":
                if case .object(var o) = block { o["input"] = .object([:]); start = .object(o) }
                let json = (block["input"] ?? .object([:])).jsonString()
                deltas = [.string("")] + Self.chunks(of: json, size: max(4, tokensPerDelta * 4)).map { JSONValue.string($0) }
                deltas = deltas.map { ["type": "input_json_delta", "partial_json": $0] }
            default:
                if case .object(var o) = block { o["text"] = ""; start = .object(o) }
                let text = block["text"]?.stringValue ?? ""
                deltas = Self.wordChunks(of: text, words: tokensPerDelta).map { ["type": "text_delta", "text": .string($0)] }
            }
            events.append(("content_block_start", ["type": "content_block_start", "index": i, "content_block": start]))
            if index == 0 { events.append(("ping", ["type": "ping"])) }
            for delta in deltas {
                events.append(("content_block_delta", ["type": "content_block_delta", "index": i, "delta": delta]))
                if let failure {
                    events.append(("error", ["type": "error", "error": ["type": .string(failure), "message": .string(failure == "overloaded_error" ? "Overloaded" : "Internal server error")]]))
                    failed = true
                    break
                }
            }
            if !failed { events.append(("content_block_stop", ["type": "content_block_stop", "index": i])) }
        }
        if failed || (failure != nil && message.content.isEmpty) {
            if !failed {
                events.append(("error", ["type": "error", "error": ["type": .string(failure!), "message": "Overloaded"]]))
            }
            return events
        }
        var usage = message.usageJSON(serviceTier: "standard").objectValue ?? [:]
        usage["service_tier"] = nil
        usage["inference_geo"] = nil
        usage["cache_creation"] = nil
        events.append((
            "message_delta",
            [
                "type": "message_delta",
                "delta": ["stop_reason": .string(message.stopReason), "stop_sequence": message.stopSequence.map { .string($0) } ?? .null],
                "usage": .object(usage),
            ]
        ))
        events.append(("message_stop", ["type": "message_stop"]))
        return events
    }

    /// Writes the events, pausing `interDeltaDelay` ms between deltas.
    @concurrent func write(to writer: inout any ResponseBodyWriter) async throws {
        for (name, data) in events() {
            var bytes = Array("event: \(name)\ndata: ".utf8)
            data.write(into: &bytes)
            bytes.append(contentsOf: [0x0A, 0x0A])
            try await writer.write(ByteBuffer(bytes: bytes))
            if interDeltaDelay > 0, name == "content_block_delta" {
                try await Task.sleep(for: .milliseconds(interDeltaDelay))
            }
        }
        try await writer.finish(nil)
    }

    /// Splits text into pieces of `words` words (the first piece has no leading space; later ones keep theirs).
    static func wordChunks(of text: String, words: Int) -> [String] {
        guard !text.isEmpty else { return [""] }
        var pieces: [String] = []
        var current = ""
        var count = 0
        for ch in text {
            if ch == " ", count >= words {
                pieces.append(current)
                current = ""
                count = 0
            }
            if ch == " " { count += 1 }
            current.append(ch)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static func chunks(of text: String, size: Int) -> [String] {
        var pieces: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: size, limitedBy: text.endIndex) ?? text.endIndex
            pieces.append(String(text[index..<end]))
            index = end
        }
        return pieces
    }
}
