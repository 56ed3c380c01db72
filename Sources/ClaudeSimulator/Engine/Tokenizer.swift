public import ClaudeAPI
import Foundation

/// The simulator's token rule: simple, stated, and the same everywhere (messages, count_tokens, batches).
///
/// - A run of letters and digits is a word; a word of n characters costs ⌈n/4⌉ tokens (long words split every
///   4 characters). Any non-ASCII character counts as a letter.
/// - Every other visible ASCII character (punctuation, symbols, `_`) costs 1 token.
/// - Whitespace is free.
/// - An image costs ⌈width×height/750⌉ tokens (at most 1,600) when its PNG or GIF header gives the size, else
///   ⌈decoded bytes/750⌉ (at most 1,600); an image by URL costs 1,600.
public enum Tokenizer {
    /// Tokens in `text` by the word/punctuation rule.
    public static func count(_ text: String) -> Int {
        var tokens = 0
        var wordLength = 0
        for byte in text.utf8 {
            if byte >= 0x80 {
                // Continuation bytes (10xxxxxx) belong to the character already counted.
                if byte & 0xC0 != 0x80 { wordLength += 1 }
                continue
            }
            let isWord =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if isWord {
                wordLength += 1
                continue
            }
            if wordLength > 0 {
                tokens += (wordLength + 3) / 4
                wordLength = 0
            }
            if byte > 0x20 && byte < 0x7F { tokens += 1 }
        }
        if wordLength > 0 { tokens += (wordLength + 3) / 4 }
        return tokens
    }

    /// Tokens of a JSON value counted on its compact serialization (tool definitions, tool inputs).
    public static func count(json: JSONValue) -> Int {
        count(json.jsonString())
    }

    /// Tokens of an image `source` object (`base64` or `url`).
    public static func imageTokens(source: JSONValue?) -> Int {
        guard let source, source["type"]?.stringValue == "base64", let data = source["data"]?.stringValue else {
            return 1_600
        }
        if let (width, height) = imageSize(base64: data) {
            return min(1_600, max(1, (width * height + 749) / 750))
        }
        let decodedBytes = data.utf8.count * 3 / 4
        return min(1_600, max(1, (decodedBytes + 749) / 750))
    }

    /// Width and height from a PNG (IHDR) or GIF (logical screen) header, decoding only the first bytes.
    static func imageSize(base64: String) -> (Int, Int)? {
        let prefix = String(base64.prefix(32))
        guard let bytes = Data(base64Encoded: prefix, options: .ignoreUnknownCharacters).map(Array.init),
            bytes.count >= 24 || (bytes.count >= 10 && bytes[0] == 0x47)
        else { return nil }
        if bytes.count >= 24, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 {
            func be32(_ i: Int) -> Int {
                Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            }
            return (be32(16), be32(20))
        }
        if bytes[0] == 0x47, bytes[1] == 0x49, bytes[2] == 0x46 {
            return (Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        }
        return nil
    }
}
