/// A fast, exact "cannot match" test for a case-insensitive policy regular expression: the ASCII literals one of
/// which every match must contain, searched for in one pass over the text's UTF-8 bytes.
///
/// Why: the classifier's rules are ICU regular expressions, and on a prompt that matches no rule ICU walks the
/// whole text once per rule, testing word boundaries and every alternative at every position. That was 38 % of
/// the router's CPU per request (perf, 1.8 KB prompt). Most prompts contain none of a rule's words, so a literal
/// search that rules the regex out first leaves ICU only the texts that can match.
///
/// The literals come from the pattern's structure: a run of plain characters that no quantifier makes optional,
/// a group's alternatives (each must give literals), the best such set of a sequence (longest shortest literal).
/// A pattern using anything not understood here (look-arounds, inline flags, `\p{…}`, back-references) gets no
/// prefilter and always goes to ICU. Non-ASCII pattern characters give no literal, because case-insensitive
/// matching folds them beyond ASCII lower-casing. A text containing a character whose case folding yields ASCII
/// letters (`ß`, `ſ`, the Kelvin sign, `ﬁ`-style ligatures, …) is always handed to ICU, so the answer stays exact.
struct LiteralPrefilter: Sendable {
    /// Literals, lower-cased ASCII; every match of the pattern contains at least one of them.
    let literals: [[UInt8]]
    /// Bit `(a << 8) | b` is set when some literal of two or more bytes starts with `a`, `b`.
    private let pairs: [UInt64]
    /// The first two bytes of the literals of two or more bytes, each key once, and the literals under each key
    /// (a short list searched in order: a dictionary's hashing cost more than the search, per perf).
    private let pairKeys: [UInt16]
    private let pairLiterals: [[[UInt8]]]
    /// Bytes that are themselves a one-byte literal.
    private let singles: [Bool]
    private let hasSingles: Bool

    /// The prefilter of `pattern`, or nil when none can be derived (the pattern always goes to the regex engine).
    init?(pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let literals = parser.parse(), !literals.isEmpty, !literals.contains(where: \.isEmpty) else {
            return nil
        }
        self.init(literals: literals)
    }

    init(literals: [[UInt8]]) {
        self.literals = literals
        var pairs = [UInt64](repeating: 0, count: 1024)
        var pairKeys: [UInt16] = []
        var pairLiterals: [[[UInt8]]] = []
        var singles = [Bool](repeating: false, count: 256)
        for literal in literals {
            if literal.count == 1 {
                singles[Int(literal[0])] = true
            } else {
                let key = UInt16(literal[0]) << 8 | UInt16(literal[1])
                pairs[Int(key >> 6)] |= 1 << UInt64(key & 63)
                if let i = pairKeys.firstIndex(of: key) {
                    pairLiterals[i].append(literal)
                } else {
                    pairKeys.append(key)
                    pairLiterals.append([literal])
                }
            }
        }
        self.pairs = pairs
        self.pairKeys = pairKeys
        self.pairLiterals = pairLiterals
        self.singles = singles
        self.hasSingles = singles.contains(true)
    }

    /// False only when the pattern cannot match `text`; true when it may (then ask the regex engine).
    func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch(bytes: $0) }
    }

    func mayMatch(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count > 0 else { return false }
        // One pass, the previous byte carried over; the tables read through pointers (no bounds checks per byte).
        return pairs.withUnsafeBufferPointer { pairs in
            singles.withUnsafeBufferPointer { singles in
                var previous: UInt8 = 0
                for index in 0..<count {
                    let byte = bytes[index]
                    if byte >= 0xC3, Self.foldsToASCII(bytes, at: index) { return true }
                    let current = Self.lower(byte)
                    if hasSingles, singles[Int(current)] { return true }
                    if index > 0 {
                        let key = UInt16(previous) << 8 | UInt16(current)
                        if pairs[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0, confirm(key, bytes, at: index - 1) {
                            return true
                        }
                    }
                    previous = current
                }
                return false
            }
        }
    }

    /// Whether a literal starting with the pair `key` occurs at `start`.
    private func confirm(_ key: UInt16, _ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for (i, candidate) in pairKeys.enumerated() where candidate == key {
            for literal in pairLiterals[i] where Self.matches(literal, bytes, at: start) { return true }
            return false
        }
        return false
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    private static func matches(_ literal: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + literal.count <= bytes.count else { return false }
        for offset in 2..<max(2, literal.count) where lower(bytes[start + offset]) != literal[offset] { return false }
        return true
    }

    /// Whether a character starting at `index` case-folds to something containing an ASCII letter:
    /// U+00DF ß, U+0130 İ, U+0149 ŉ, U+017F ſ, U+01F0 ǰ, U+1E96–U+1E9A, U+1E9E ẞ, U+212A K, U+FB00–U+FB06.
    static func foldsToASCII(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = bytes.count
        func at(_ offset: Int) -> UInt8 { index + offset < count ? bytes[index + offset] : 0 }
        switch bytes[index] {
        case 0xC3: return at(1) == 0x9F
        case 0xC4: return at(1) == 0xB0
        case 0xC5: return at(1) == 0x89 || at(1) == 0xBF
        case 0xC7: return at(1) == 0xB0
        case 0xE1: return at(1) == 0xBA && ((0x96...0x9A).contains(at(2)) || at(2) == 0x9E)
        case 0xE2: return at(1) == 0x84 && at(2) == 0xAA
        case 0xEF: return at(1) == 0xAC && (0x80...0x86).contains(at(2))
        default: return false
        }
    }

    /// Derives the necessary literals of a pattern; a small recursive-descent reader of ICU syntax.
    struct Parser: PatternCursor {
        let bytes: [UInt8]
        var index = 0
        var unsupported = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        enum Repetition { case once, optional, atLeastOnce }

        /// The literal set of the whole pattern, or nil.
        mutating func parse() -> [[UInt8]]? {
            let result = alternation()
            guard !unsupported, index == bytes.count else { return nil }
            return result
        }

        private var atEnd: Bool { index >= bytes.count }

        /// Branches separated by `|` up to `)` or the end: the union of their sets, nil if any branch has none.
        private mutating func alternation() -> [[UInt8]]? {
            var union: [[UInt8]] = []
            var complete = true
            // Bounded: each pass consumes a branch and at most one `|`.
            for _ in 0...bytes.count {
                let branch = sequence()
                if let branch { union += branch } else { complete = false }
                guard peek() == UInt8(ascii: "|") else { break }
                index += 1
            }
            return complete ? union : nil
        }

        private mutating func sequence() -> [[UInt8]]? {
            var best: [[UInt8]]?
            var bestScore = 0
            var run: [UInt8] = []
            func consider(_ set: [[UInt8]]) {
                let score = set.map(\.count).min() ?? 0
                if score > bestScore {
                    best = set
                    bestScore = score
                }
            }
            func flush() {
                if !run.isEmpty { consider([run]) }
                run = []
            }
            // A plain character: part of the run unless a quantifier makes it optional.
            func appendLiteral(_ byte: UInt8) {
                switch repetition() {
                case .once:
                    run.append(LiteralPrefilter.lower(byte))
                case .optional:
                    flush()
                case .atLeastOnce:
                    run.append(LiteralPrefilter.lower(byte))
                    flush()
                }
            }
            // Bounded: every pass consumes at least one byte or stops.
            while let byte = peek(), byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")"), !unsupported {
                let start = index
                switch byte {
                case UInt8(ascii: "("):
                    index += 1
                    if peek() == UInt8(ascii: "?") {
                        guard peek(1) == UInt8(ascii: ":") else {
                            unsupported = true
                            return nil
                        }
                        index += 2
                    }
                    flush()
                    let group = alternation()
                    guard peek() == UInt8(ascii: ")") else {
                        unsupported = true
                        return nil
                    }
                    index += 1
                    if repetition() != .optional, let group { consider(group) }
                case UInt8(ascii: "\\"):
                    guard let escaped = peek(1) else {
                        unsupported = true
                        return nil
                    }
                    index += 2
                    if Self.isAlphanumeric(escaped) {
                        guard Array("bBdDwWsSntr".utf8).contains(escaped) else {
                            unsupported = true
                            return nil
                        }
                        flush()
                        _ = repetition()
                    } else {
                        appendLiteral(escaped)
                    }
                case UInt8(ascii: "["):
                    skipClass()
                    flush()
                    _ = repetition()
                case UInt8(ascii: "."):
                    index += 1
                    flush()
                    _ = repetition()
                case UInt8(ascii: "^"), UInt8(ascii: "$"):
                    index += 1
                    flush()
                case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                    unsupported = true
                    return nil
                default:
                    index += 1
                    if byte >= 0x80 {
                        // A non-ASCII character: folded beyond ASCII, so no literal; skip its continuation bytes.
                        while let next = peek(), next & 0xC0 == 0x80 { index += 1 }
                        flush()
                        _ = repetition()
                    } else {
                        appendLiteral(byte)
                    }
                }
                if index == start { unsupported = true }
            }
            flush()
            return best
        }

        /// Reads a quantifier after an atom, if any (lazy and possessive suffixes included).
        private mutating func repetition() -> Repetition {
            guard let byte = peek() else { return .once }
            var result: Repetition
            switch byte {
            case UInt8(ascii: "?"), UInt8(ascii: "*"):
                index += 1
                result = .optional
            case UInt8(ascii: "+"):
                index += 1
                result = .atLeastOnce
            case UInt8(ascii: "{"):
                index += 1
                let minimum = decimal(maxDigits: 6)
                while let next = peek(), next != UInt8(ascii: "}") {
                    guard next == UInt8(ascii: ",") || (next >= 0x30 && next <= 0x39) else {
                        unsupported = true
                        return .optional
                    }
                    index += 1
                }
                guard let minimum, peek() == UInt8(ascii: "}") else {
                    unsupported = true
                    return .optional
                }
                index += 1
                result = minimum == 0 ? .optional : .atLeastOnce
            default:
                return .once
            }
            if let suffix = peek(), suffix == UInt8(ascii: "?") || suffix == UInt8(ascii: "+") { index += 1 }
            return result
        }

        /// Skips a `[…]` class, escapes and nested classes included.
        private mutating func skipClass() {
            index += 1
            var depth = 1
            if peek() == UInt8(ascii: "^") { index += 1 }
            if peek() == UInt8(ascii: "]") { index += 1 }
            while let byte = peek(), depth > 0 {
                switch byte {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "["): depth += 1; index += 1
                case UInt8(ascii: "]"): depth -= 1; index += 1
                default: index += 1
                }
            }
            if depth > 0 { unsupported = true }
        }

        private static func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
    }
}
