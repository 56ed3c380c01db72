/// Writes `text/event-stream` bytes: `event: <name>\ndata: <line>\n…\n\n`, the framing the Claude API uses.
public enum SSEWriter {
    /// The bytes of one event. Data containing newlines (`\n`, `\r\n` or `\r`) is split over several `data:` lines,
    /// so a parser joins it back to the same text with `\n`.
    public static func encode(_ event: ServerSentEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(event.data.utf8.count + 32)
        append(event, to: &out)
        return out
    }

    /// Appends the bytes of one event to `out`.
    public static func append(_ event: ServerSentEvent, to out: inout [UInt8]) {
        if let name = event.event {
            out.append(contentsOf: "event: ".utf8)
            appendSingleLine(name, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        if let id = event.id {
            out.append(contentsOf: "id: ".utf8)
            appendSingleLine(id, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        if let retry = event.retry {
            out.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        out.append(contentsOf: "data: ".utf8)
        var previousCR = false
        for byte in event.data.utf8 {
            switch byte {
            case UInt8(ascii: "\r"):
                out.append(contentsOf: "\ndata: ".utf8)
                previousCR = true
                continue
            case UInt8(ascii: "\n"):
                if !previousCR { out.append(contentsOf: "\ndata: ".utf8) }
            default:
                out.append(byte)
            }
            previousCR = false
        }
        out.append(contentsOf: "\n\n".utf8)
    }

    /// A comment line (`: text\n`), e.g. a keep-alive that every parser ignores.
    public static func comment(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: ":"), UInt8(ascii: " ")]
        appendSingleLine(text, to: &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// The bytes of a stream event: its type as the `event:` name and its compact JSON as `data:`.
    public static func encode(_ event: StreamEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        out.append(contentsOf: "event: ".utf8)
        appendSingleLine(event.type, to: &out)
        out.append(contentsOf: "\ndata: ".utf8)
        // Compact JSON never holds a raw newline (they are escaped inside strings), so one data line suffices.
        JSONValue.object(event.raw).write(into: &out)
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    static func appendSingleLine(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 where byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") { out.append(byte) }
    }
}
