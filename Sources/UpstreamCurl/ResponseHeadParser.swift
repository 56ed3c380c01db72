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
                let more = String(decoding: line, as: UTF8.self).trimmingHTTPWhitespace()
                headers[headers.count - 1].value += headers[headers.count - 1].value.isEmpty ? more : " " + more
            }
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self)
            headers.append(Header(name: name.trimmingHTTPWhitespace(), value: value.trimmingHTTPWhitespace()))
        }
        return nil
    }

    private mutating func parseStatusLine(_ line: UnsafeRawBufferPointer) {
        // "HTTP/1.1 200 OK" or "HTTP/2 200"
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        httpVersion = String(decoding: parts[0], as: UTF8.self)
        headers = []
        status = parts.count > 1 ? Int(String(decoding: parts[1], as: UTF8.self)) : nil
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingHTTPWhitespace() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return String(self[first...last])
    }
}
