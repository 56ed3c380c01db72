/// An incremental `text/event-stream` parser: feed byte chunks as they arrive, get complete events out.
///
/// Follows the WHATWG rules: lines end with `\n`, `\r\n` or `\r` (also when a `\r\n` is split across chunks);
/// lines starting with `:` are comments; `data:` lines accumulate, joined by `\n`; one optional space after the
/// colon is dropped; a blank line dispatches the event; an event with no data is not dispatched; a leading BOM is
/// skipped. Memory is bounded by the longest pending event, not by the stream.
public struct SSEParser: Sendable {
    var line: [UInt8] = []
    var data: [UInt8] = []
    var hasData = false
    var eventName: String?
    var lastID: String?
    var retry: Int?
    var lastWasCR = false
    var atStart = true

    /// A parser at the start of a stream.
    public init() {}

    /// Consumes `chunk` and returns the events it completed, in order.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }  // the \n of a \r\n, possibly from the previous chunk
            }
            switch byte {
            case UInt8(ascii: "\n"):
                endLine(into: &events)
            case UInt8(ascii: "\r"):
                lastWasCR = true
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a last line without a newline is processed, and an event that was not closed by a blank
    /// line is returned rather than lost (the spec discards it; a truncated upstream is better seen than hidden).
    public mutating func finish() -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        if hasData { events.append(makeEvent()) }
        resetEvent()
        return events
    }

    mutating func endLine(into events: inout [ServerSentEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            if hasData { events.append(makeEvent()) }
            resetEvent()
            return
        }
        if line[0] == UInt8(ascii: ":") { return }  // a comment, e.g. a keep-alive
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let field = line[..<colon]
        let value = line[valueStart...]
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventName = String(decoding: value, as: UTF8.self)
        } else if field.elementsEqual("id".utf8) {
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        } else if field.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
    }

    mutating func makeEvent() -> ServerSentEvent {
        ServerSentEvent(event: eventName, data: String(decoding: data, as: UTF8.self), id: lastID, retry: retry)
    }

    mutating func resetEvent() {
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventName = nil
        retry = nil
    }
}
