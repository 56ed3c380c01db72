/// Assembles a response head from the lines libcurl's header callback delivers, one call per line.
///
/// Interim `1xx` heads are skipped, obsolete folded lines are joined to the previous header, and the head is
/// complete at the empty line that ends a final status's header block.
struct ResponseHeadParser {
    /// A complete response head.
    struct Head: Equatable {
        var status: Int
        var httpVersion: String
        var headers: [Header]
    }

    /// One header field.
    struct Header: Equatable {
        var name: String
        var value: String
    }

    /// Parses a complete head given as raw bytes (lines ending in LF or CRLF, the final blank line optional).
    static func parse(head: [UInt8]) -> Head? {
        var parser = ResponseHeadParser()
        return head.withUnsafeBytes { bytes -> Head? in
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
                if let head = parser.consume(line: UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { return head }
                start = end
            }
            return parser.consume(line: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    private var status: Int?
    private var httpVersion = ""
    private var headers: [Header] = []

    /// Consumes one line (with or without its CRLF); returns the head when this line completed it.
    mutating func consume(line raw: UnsafeRawBufferPointer) -> Head? {
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: raw[0..<end])
        if line.isEmpty {
            guard let status else { return nil }
            if (100..<200).contains(status) {
                self = ResponseHeadParser()
                return nil
            }
            let head = Head(status: status, httpVersion: httpVersion, headers: headers)
            self = ResponseHeadParser()
            return head
        }
        if line.starts(with: "HTTP/".utf8) {
            parseStatusLine(line)
        } else if line[0] == UInt8(ascii: " ") || line[0] == UInt8(ascii: "\t") {
            if !headers.isEmpty {
                let more = Self.trimmedString(line, 0..<line.count)
                headers[headers.count - 1].value += headers[headers.count - 1].value.isEmpty ? more : " " + more
            }
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            // Trimmed as bytes, so each field becomes one String (not a String and then its trimmed copy).
            if headers.isEmpty { headers.reserveCapacity(16) }
            let name = Self.trimmedString(line, 0..<colon)
            headers.append(Header(name: name, value: Self.trimmedString(line, (colon + 1)..<line.count)))
        }
        return nil
    }

    /// The bytes of `line` in `range` without HTTP's optional whitespace (spaces and tabs) at either end, as a String.
    private static func trimmedString(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, line[lower] == 0x20 || line[lower] == 0x09 { lower += 1 }
        while upper > lower, line[upper - 1] == 0x20 || line[upper - 1] == 0x09 { upper -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[lower..<upper]), as: UTF8.self)
    }

    private mutating func parseStatusLine(_ line: UnsafeRawBufferPointer) {
        // "HTTP/1.1 200 OK" or "HTTP/2 200"
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        httpVersion = String(decoding: parts[0], as: UTF8.self)
        headers = []
        status = parts.count > 1 ? Int(String(decoding: parts[1], as: UTF8.self)) : nil
    }
}
