/// A JSON syntax error, with where it happened.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, in words.
    public var reason: String
    /// Byte offset into the input.
    public var offset: Int
    /// 1-based line of the offset.
    public var line: Int
    /// 1-based column of the offset, in characters.
    public var column: Int
    /// For a duplicate object key: the path of the repeated key, e.g. `messages[0].content[1].text`; nil otherwise.
    public var duplicateKeyPath: String?

    /// `invalid JSON at line L, column C: reason`.
    public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}

extension JSONValue {
    /// Parses JSON text (RFC 8259), keeping key order and number text.
    ///
    /// - Throws: `JSONSyntaxError` naming the line and column of the first error.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let array = bytes as? [UInt8] ?? Array(bytes)
        // Parsing over a buffer pointer drops the array bounds checks from the byte loops (about a third of the time).
        let result: Result<JSONValue, JSONSyntaxError> = array.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            do throws(JSONSyntaxError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses JSON text from a string.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes; `bytes` must stay valid while it runs.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count { throw error("unexpected data after the JSON value") }
        return value
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for i in 0..<offset {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONSyntaxError(reason: reason, offset: offset, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let matches = word.withUTF8Buffer { buffer in
            buffer.indices.allSatisfy { bytes[index + $0] == buffer[$0] }
        }
        guard matches else { throw error("invalid literal") }
        index += count
        return value
    }

    /// Objects up to this many keys are checked for a repeated key by a scan; larger ones through a set.
    static let linearKeyCheckLimit = 16

    /// A duplicate-key error: one body must not mean two things (the router would route on the first `model` while
    /// an upstream that keeps the last one runs another), so a repeated key anywhere is refused.
    func duplicate(_ key: String, at offset: Int) -> JSONSyntaxError {
        var e = error("duplicate key '\(key)'", at: offset)
        e.duplicateKeyPath = Self.pathComponent(key)
        return e
    }

    /// A key as a path component: bare when it is a plain name, else quoted (`["a.b"]`).
    static func pathComponent(_ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
        return plain ? key : "[" + JSONValue.string(key).jsonString() + "]"
    }

    /// `error` raised inside the member `component`: a duplicate key's path gets the component in front.
    static func nested(_ error: JSONSyntaxError, under component: String) -> JSONSyntaxError {
        guard let path = error.duplicateKeyPath else { return error }
        var e = error
        e.duplicateKeyPath = path.hasPrefix("[") ? component + path : component + "." + path
        return e
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
    }

    /// Skips white space, then consumes `byte` when it comes next; false, with nothing else consumed, otherwise.
    mutating func skipWhitespace(thenConsume byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// After a member of an object or array: consumes the `,` that leads to another member (false) or the `close`
    /// bracket that ends the container (true).
    ///
    /// - Throws: `unexpected end of input in <container>` at the end of input, `expected ',' or '<close>'` at any
    ///   other byte.
    mutating func endOfMember(closing close: UInt8, in container: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input in \(container)") }
        let byte = bytes[index]
        guard byte == UInt8(ascii: ",") || byte == close else {
            throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
        index += 1
        return byte == close
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var entries: [JSONObject.Entry] = []
        // Keys already seen, built only for objects past `linearKeyCheckLimit` keys (a scan is cheaper below it).
        var seen: Set<String> = []
        // API objects mostly have 2 to 8 keys; one allocation up front beats regrowing 1 → 2 → 4 → 8.
        entries.reserveCapacity(8)
        if skipWhitespace(thenConsume: UInt8(ascii: "}")) { return .object(JSONObject(storage: entries)) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key")
            }
            let keyStart = index
            let key = try parseString()
            if entries.count < Self.linearKeyCheckLimit {
                for entry in entries where entry.key == key { throw duplicate(key, at: keyStart) }
            } else {
                if seen.isEmpty { seen = Set(entries.lazy.map(\.key)) }
                if !seen.insert(key).inserted { throw duplicate(key, at: keyStart) }
            }
            guard skipWhitespace(thenConsume: UInt8(ascii: ":")) else { throw error("expected ':'") }
            skipWhitespace()
            let value: JSONValue
            do { value = try parseValue() } catch { throw Self.nested(error, under: Self.pathComponent(key)) }
            entries.append(JSONObject.Entry(key: key, value: value))
            if try endOfMember(closing: UInt8(ascii: "}"), in: "an object") {
                return .object(JSONObject(storage: entries))
            }
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        if skipWhitespace(thenConsume: UInt8(ascii: "]")) { return .array(elements) }
        while true {
            skipWhitespace()
            do { elements.append(try parseValue()) } catch {
                throw Self.nested(error, under: "[\(elements.count)]")
            }
            if try endOfMember(closing: UInt8(ascii: "]"), in: "an array") { return .array(elements) }
        }
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.index
            while p.index < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.index]) {
                p.index += 1
            }
            return p.index - s
        }
        guard index < bytes.count else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw error("invalid number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { throw error("invalid number: expected digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            if digits(&self) == 0 { throw error("invalid number: expected exponent digits") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return .number(JSONNumber(text: text))
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("unescaped control character in a string") }
            if b >= 0x80 { try skipUTF8Sequence() } else { index += 1 }
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if b < 0x20 { throw error("unescaped control character in a string") }
            if b >= 0x80 {
                let sequenceStart = index
                try skipUTF8Sequence()
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<index]))
                continue
            }
            if b != UInt8(ascii: "\\") {
                buffer.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: index - 2)
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Steps over one multi-byte UTF-8 sequence starting at `index` (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF). Invalid bytes are an error, never silently replaced: the router would otherwise
    /// forward something other than what the client sent.
    mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0:
            count = 2
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED:
            count = 2
            high = 0x9F
        case 0xF0:
            count = 3
            low = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4:
            count = 3
            high = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        guard index + count < bytes.count else { throw error("invalid UTF-8: truncated sequence") }
        for i in 1...count {
            let b = bytes[index + i]
            let range: ClosedRange<UInt8> = i == 1 ? low...high : 0x80...0xBF
            guard range.contains(b) else { throw error("invalid UTF-8 sequence") }
        }
        index += count + 1
    }

    mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
