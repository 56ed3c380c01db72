public import ClaudeAPI
import Foundation

/// A fast, tokenizer-free estimate of a request's input tokens, for routing, rate limits and cache planning.
///
/// Rules (documented in docs/policies.md): text is `ceil(UTF-8 bytes / 4)`; each message adds 4 tokens of framing;
/// a tool definition is its JSON size / 4, plus a fixed 500-token tool-use system prompt when any tool is present;
/// an image is `width × height / 750` when its size can be read from a PNG, GIF or JPEG header, capped at 1,600
/// (the API downsizes larger images), and 1,600 when unknown; a PDF page is 2,000 tokens (text plus page image).
/// The estimate errs high for code and non-English text and low for dense prose; it is a planning figure.
public enum TokenEstimator {
    /// Tokens of the tool-use system prompt the API adds when tools are present.
    public static let toolOverhead: Int64 = 500
    /// The estimate for an image whose size is unknown, and the cap for all images.
    public static let maxImageTokens: Int64 = 1600
    /// The estimate per PDF page.
    public static let tokensPerPDFPage: Int64 = 2000

    /// Tokens in plain text.
    public static func text(_ text: String) -> Int64 { (Int64(text.utf8.count) + 3) / 4 }

    /// Tokens of the whole request body (system, messages, tools).
    public static func request(_ body: JSONObject) -> Int64 {
        var total: Int64 = 0
        if let system = body["system"] { total += content(system) }
        for message in body["messages"]?.arrayValue ?? [] {
            total += 4
            if let c = message["content"] { total += content(c) }
        }
        if let tools = body["tools"]?.arrayValue, !tools.isEmpty {
            total += toolOverhead
            for tool in tools { total += (Int64(tool.serialized().count) + 3) / 4 }
        }
        return total
    }

    /// Tokens of a `content` value (a string or an array of blocks).
    public static func content(_ value: JSONValue) -> Int64 {
        if let s = value.stringValue { return text(s) }
        guard let blocks = value.arrayValue else { return 0 }
        var total: Int64 = 0
        for block in blocks { total += self.block(block) }
        return total
    }

    /// Tokens of one content block.
    public static func block(_ block: JSONValue) -> Int64 {
        switch block["type"]?.stringValue {
        case "text": return text(block["text"]?.stringValue ?? "")
        case "image": return image(block["source"])
        case "document": return document(block["source"])
        case "tool_result": return block["content"].map(content) ?? 0
        case "tool_use": return (Int64((block["input"] ?? .null).serialized().count) + 3) / 4 + 10
        case "thinking": return text(block["thinking"]?.stringValue ?? "")
        default: return (Int64(block.serialized().count) + 3) / 4
        }
    }

    /// Tokens of an image source.
    public static func image(_ source: JSONValue?) -> Int64 {
        guard let source, source["type"]?.stringValue == "base64", let data = source["data"]?.stringValue,
            let size = imageSize(base64: data)
        else { return maxImageTokens }
        return min(maxImageTokens, max(1, size.width * size.height / 750))
    }

    /// Tokens of a document source.
    public static func document(_ source: JSONValue?) -> Int64 {
        guard let source else { return 0 }
        switch source["type"]?.stringValue {
        case "text": return text(source["data"]?.stringValue ?? "")
        case "content": return source["content"].map(content) ?? 0
        case "base64":
            guard let data = source["data"]?.stringValue, let bytes = Data(base64Encoded: data) else {
                return tokensPerPDFPage
            }
            return Int64(max(1, pdfPageCount(Array(bytes)))) * tokensPerPDFPage
        default: return tokensPerPDFPage
        }
    }

    /// Width and height from the first bytes of a base64 PNG, GIF or JPEG, or nil.
    public static func imageSize(base64: String) -> (width: Int64, height: Int64)? {
        // PNG and GIF carry the size in their first 24 bytes; a JPEG's SOF marker can be further in, so decode
        // a bounded prefix (64 KiB of base64) rather than the whole image.
        let prefix = String(base64.prefix(87_384))
        let usable = String(prefix.prefix(prefix.count - prefix.count % 4))
        guard let data = Data(base64Encoded: usable, options: [.ignoreUnknownCharacters]) else { return nil }
        let b = Array(data)
        func be16(_ i: Int) -> Int64 { Int64(b[i]) << 8 | Int64(b[i + 1]) }
        func be32(_ i: Int) -> Int64 { be16(i) << 16 | be16(i + 2) }
        if b.count >= 24, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 {
            return (be32(16), be32(20))
        }
        if b.count >= 10, b[0] == 0x47, b[1] == 0x49, b[2] == 0x46 {
            return (Int64(b[6]) | Int64(b[7]) << 8, Int64(b[8]) | Int64(b[9]) << 8)
        }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    return (be16(i + 7), be16(i + 5))
                }
                i += 2 + Int(be16(i + 2))
            }
        }
        return nil
    }

    /// Counts `/Type /Page` objects (not `/Pages`) in a PDF's bytes.
    static func pdfPageCount(_ bytes: [UInt8]) -> Int {
        let needle = Array("/Type".utf8)
        var count = 0
        var i = 0
        while i + needle.count < bytes.count {
            if bytes[i] == 0x2F, Array(bytes[i..<i + needle.count]) == needle {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 { j += 1 }
                let page = Array("/Page".utf8)
                if j + page.count < bytes.count, Array(bytes[j..<j + page.count]) == page, bytes[j + page.count] != 0x73
                {
                    count += 1
                }
                i = j
            } else {
                i += 1
            }
        }
        return count
    }
}
