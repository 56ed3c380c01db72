/// Turns prompt text into hashed n-gram features: word unigrams and bigrams, character n-grams of words, and symbol
/// runs such as `{`, `=>` or `();` that mark code.
///
/// Tokenisation works on UTF-8 bytes and never allocates per feature, which is what keeps classification in
/// microseconds: ASCII letters are lowercased; a word is a run of ASCII letters and digits or of non-ASCII bytes
/// (so accented and non-Latin words stay whole); `_` splits words (`user_id` gives `user`, `id`); a word of digits
/// only becomes the single feature `<num>`; any other run of punctuation is a symbol feature (at most three bytes per
/// feature, so `===>` gives `===` and `>`); a line indented by a tab or two or more spaces gives `line:indent`.
/// Keywords such as `def` or `func` are ordinary word features and get their weight from the examples.
///
/// Very long texts are read by their first and last `maxBytes / 2` bytes: instructions sit at the start or end of
/// a prompt, while the middle is usually pasted material.
public struct TextFeatures: Sendable, Hashable {
    /// Emit each word as a feature.
    public var wordUnigrams: Bool
    /// Emit each pair of consecutive words (`this function`).
    public var wordBigrams: Bool
    /// Lengths of character n-grams taken from each word padded as `<word>`; empty for none.
    public var characterGramLengths: ClosedRange<Int>?
    /// Emit punctuation runs and indented lines, the signals of pasted code and data.
    public var symbols: Bool
    /// Longest text read in full; longer texts are read by their head and tail.
    public var maxBytes: Int

    /// Creates a feature extractor; the defaults are the ones cross-validation chose on the shipped examples.
    public init(
        wordUnigrams: Bool = true, wordBigrams: Bool = true, characterGramLengths: ClosedRange<Int>? = 4...5,
        symbols: Bool = true, maxBytes: Int = 16_384
    ) {
        self.wordUnigrams = wordUnigrams
        self.wordBigrams = wordBigrams
        // A 0-gram is no feature; clamp so the n-gram loop's bounds always hold.
        self.characterGramLengths = characterGramLengths.map { max(1, $0.lowerBound)...max(1, $0.upperBound) }
        self.symbols = symbols
        self.maxBytes = max(maxBytes, 64)
    }

    /// Words longer than this get no character n-grams: they are identifiers, hashes or base64, not vocabulary.
    static let maxCharacterGramWord = 24

    /// The hashed features of `text` in order of appearance (repeats included), for tests and tools.
    public func featureNames(of text: String) -> [String] {
        var names: [String] = []
        withBytes(of: text) { bytes in
            forEachFeature(in: bytes) { _, span in names.append(Self.name(of: span, in: bytes)) }
        }
        return names
    }

    /// Calls `body` with the UTF-8 bytes of `text` (contiguous, without a copy when the string is native).
    func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = text
        return text.withUTF8 { body($0) }
    }

    /// Calls `body` once per feature occurrence with its hash and where it came from.
    func forEachFeature(in bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt64, FeatureSpan) -> Void) {
        if bytes.count <= maxBytes {
            scan(bytes, from: 0, to: bytes.count, body)
        } else {
            let half = maxBytes / 2
            scan(bytes, from: 0, to: half, body)
            scan(bytes, from: bytes.count - half, to: bytes.count, body)
        }
    }

    private func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ body: (UInt64, FeatureSpan) -> Void
    ) {
        var index = start
        var previousWord: (hash: UInt64, start: Int32, end: Int32)? = nil
        var atLineStart = true
        while index < end {
            let byte = bytes[index]
            if Self.isWordByte(byte) {
                let wordStart = index
                var hash = FeatureHash.seed(.word)
                var allDigits = true
                while index < end, Self.isWordByte(bytes[index]) {
                    let b = bytes[index]
                    if b < 0x30 || b > 0x39 { allDigits = false }
                    hash = FeatureHash.add(Self.lowercased(b), to: hash)
                    index += 1
                }
                if allDigits { hash = FeatureHash.number }
                let span = FeatureSpan(kind: .word, start: Int32(wordStart), end: Int32(index))
                if wordUnigrams { body(hash, span) }
                if wordBigrams, let previous = previousWord {
                    body(
                        FeatureHash.combine(previous.hash, hash),
                        FeatureSpan(
                            kind: .bigram, start: previous.start, end: previous.end, start2: span.start, end2: span.end)
                    )
                }
                if let lengths = characterGramLengths, !allDigits {
                    emitCharacterGrams(bytes, start: wordStart, end: index, lengths: lengths, body)
                }
                previousWord = (hash, span.start, span.end)
                atLineStart = false
            } else if byte == 0x0A {
                index += 1
                atLineStart = true
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                let spaceStart = index
                while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
                // An indented line is a strong hint of code or structured data.
                if symbols, atLineStart, index < end, bytes[index] != 0x0A,
                    byte == 0x09 || index - spaceStart >= 2
                {
                    body(FeatureHash.indent, FeatureSpan(kind: .indent, start: Int32(spaceStart), end: Int32(index)))
                }
                atLineStart = false
            } else if byte == UInt8(ascii: "_") || !Self.isSymbolByte(byte) {
                // `_` splits words; other control bytes (0x00-0x1F but tab, CR and LF; DEL) are no feature. Without
                // this, a control byte would start an empty symbol run that never advances.
                index += 1
                atLineStart = false
            } else {
                var runStart = index
                var hash = FeatureHash.seed(.symbol)
                while index < end, Self.isSymbolByte(bytes[index]) {
                    if index - runStart == 3 {
                        if symbols { body(hash, FeatureSpan(kind: .symbol, start: Int32(runStart), end: Int32(index))) }
                        runStart = index
                        hash = FeatureHash.seed(.symbol)
                    }
                    hash = FeatureHash.add(bytes[index], to: hash)
                    index += 1
                }
                if symbols { body(hash, FeatureSpan(kind: .symbol, start: Int32(runStart), end: Int32(index))) }
                atLineStart = false
            }
        }
    }

    private func emitCharacterGrams(
        _ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, lengths: ClosedRange<Int>,
        _ body: (UInt64, FeatureSpan) -> Void
    ) {
        let wordLength = end - start
        guard wordLength >= 2, wordLength <= Self.maxCharacterGramWord, wordLength + 2 >= lengths.lowerBound else {
            return
        }
        let padded = wordLength + 2
        // One pass per start offset grows the hash byte by byte and emits it at each wanted length, so every
        // n-gram length costs one more byte, not a fresh hash.
        for offset in 0..<(padded - lengths.lowerBound + 1) {
            var hash = FeatureHash.seed(.character)
            let longest = min(lengths.upperBound, padded - offset)
            var length = 0
            while length < longest {
                hash = FeatureHash.add(
                    Self.paddedByte(bytes, start: start, end: end, position: offset + length), to: hash)
                length += 1
                if length >= lengths.lowerBound {
                    body(
                        hash,
                        FeatureSpan(
                            kind: .character, start: Int32(start), end: Int32(end), start2: Int32(offset),
                            end2: Int32(length)))
                }
            }
        }
    }

    /// Byte `position` of `<word>`: `<` before the word, `>` after it.
    @inline(__always)
    private static func paddedByte(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, position: Int) -> UInt8 {
        if position == 0 { return UInt8(ascii: "<") }
        let index = start + position - 1
        return index < end ? lowercased(bytes[index]) : UInt8(ascii: ">")
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte >= 0x80
    }

    @inline(__always)
    static func isSymbolByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !isWordByte(byte) && byte != UInt8(ascii: "_")
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// The readable name of a feature, as `topFeatures` shows it: `refactor`, `this function`, `char:<ref`,
    /// `sym:=>`, `<num>`, `line:indent`.
    static func name(of span: FeatureSpan, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        func word(_ start: Int32, _ end: Int32) -> String {
            let slice = bytes[Int(start)..<Int(end)]
            if slice.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return "<num>" }
            return String(decoding: slice.map(lowercased), as: UTF8.self)
        }
        switch span.kind {
        case .word: return word(span.start, span.end)
        case .bigram: return word(span.start, span.end) + " " + word(span.start2, span.end2)
        case .character:
            let start = Int(span.start)
            let end = Int(span.end)
            let padded = (Int(span.start2)..<Int(span.start2 + span.end2)).map {
                paddedByte(bytes, start: start, end: end, position: $0)
            }
            return "char:" + String(decoding: padded, as: UTF8.self)
        case .symbol: return "sym:" + String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self)
        case .indent: return "line:indent"
        }
    }
}
