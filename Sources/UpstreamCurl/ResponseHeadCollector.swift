/// Gathers the raw lines of a response head as libcurl's header callback delivers them, one call per line, and
/// hands over the bytes of the final head at the blank line that ends it.
///
/// Interim `1xx` heads (100 Continue, 103 Early Hints) are dropped. It only copies bytes: parsing them
/// (`ResponseHeadParser.parse(head:)`) is left to the caller's thread, because this runs on the multi thread, the
/// client's one serial resource.
struct ResponseHeadCollector {
    private var bytes: [UInt8] = []
    private var isInterim = false
    /// Whether the final head was handed over; later lines (trailers) are ignored.
    private(set) var isComplete = false

    /// Consumes one line (with its CRLF or LF); returns the head's bytes when this blank line completed a final head.
    mutating func consume(line: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !isComplete else { return nil }
        if line.starts(with: "HTTP/".utf8) {
            // A new status line: whatever came before it (an interim head) is dropped.
            bytes.removeAll(keepingCapacity: true)
            // One allocation for a typical head instead of one per doubling as lines arrive.
            bytes.reserveCapacity(512)
            let space = line.firstIndex(of: UInt8(ascii: " ")) ?? line.count
            isInterim = space + 1 < line.count && line[space + 1] == UInt8(ascii: "1")
        }
        let isBlank = line.allSatisfy { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard isBlank else {
            bytes.append(contentsOf: line)
            return nil
        }
        guard !bytes.isEmpty, !isInterim else {
            bytes.removeAll(keepingCapacity: true)
            return nil
        }
        isComplete = true
        defer { bytes = [] }
        return bytes
    }
}
