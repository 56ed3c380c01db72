/// A case-insensitive regular-expression matcher for ASCII patterns on ASCII texts that answers as ICU
/// (`NSRegularExpression` with `.caseInsensitive`) does, without ICU's per-call cost.
///
/// Why: the classifier's rules are ICU regular expressions, and on a prompt that holds a rule's literals ICU cost
/// tens of microseconds per rule (the text bridged to UTF-16, every alternative tried at every position), most of
/// a routing decision's CPU. This matcher reads the text's UTF-8 bytes in place.
///
/// The subset it accepts: ASCII literals, `.`, classes `[…]` (ranges, negation, `\d\w\s\D\W\S`, escaped
/// punctuation), `\d\w\s\D\W\S\b\B`, `\n\t\r`, `^` and `$` (no multi-line mode), alternation, capturing and `(?:…)`
/// groups, and greedy or lazy `? * + {m} {m,} {m,n}` (n ≤ 1000). `init` returns nil for anything else (look-arounds,
/// inline flags, back-references, `\p{…}`, possessive quantifiers, nested or POSIX classes, non-ASCII characters)
/// and for a repeated sub-pattern that can match the empty string (where ICU's rules for empty iterations are
/// subtle): `TextPattern` then keeps ICU. Semantics follow ICU's for ASCII: `.` stops at `\n \v \f \r`, `\s` is
/// `[\t\n\v\f\r ]`, `\w` is `[A-Za-z0-9_]`, `\b` is a change between `\w` and not, `$` also matches before a
/// final line terminator (or a final `\r\n`), and letters match either case (classes are closed over case before
/// they are negated, as ICU does). `ASCIIRegexTests` compares it with ICU on random patterns and texts.
///
/// Matching is a backtracking search over a flat program (arrays of instructions, no closures), in ICU's order
/// (leftmost start; greedy or lazy and left alternatives first), so the first match found is ICU's. A search that
/// takes more than `stepBudget(textCount:)` steps restarts with a visited set of (instruction, position) pairs,
/// which bounds it by instructions × (text length + 1) steps whatever the pattern; when that set would exceed
/// `maxMemoBits`, the search gives up and the caller asks ICU.
struct ASCIIRegex: Sendable {
    enum Op: UInt8 {
        case byte, set, any, split, jump, wordBoundary, notWordBoundary, start, end, match
    }

    /// The outcome of one search.
    enum Outcome: Equatable {
        case found(Range<Int>)
        case notFound
        /// The search would need more memory than `maxMemoBits`: ask ICU.
        case gaveUp
    }

    /// A search's outcome and what it cost (tests read the cost; the matcher never reads a clock).
    struct Search {
        var outcome: Outcome
        var steps: Int
        var memoized: Bool
    }

    /// The most bits a search's visited set may take (4 MiB).
    static let maxMemoBits = 32 << 20
    /// The most instructions a program may have.
    static let maxProgram = 20_000

    let ops: [Op]
    /// `byte`: the lower-cased byte; `set`: the table's index; `split`: the preferred target; `jump`: the target.
    let first: [Int32]
    /// `split`: the other target.
    let second: [Int32]
    /// 128 entries per class: whether the byte is in it.
    let sets: [Bool]
    /// Bytes a match can start with (lower and upper case), when the pattern cannot match the empty string.
    let startBytes: [Bool]
    /// Whether the pattern can match the empty string (then every position is a candidate start).
    let nullable: Bool

    /// Plain backtracking's budget for a text of `textCount` bytes, before it restarts with a visited set.
    static func stepBudget(textCount: Int) -> Int { 64 * (textCount + 1) + 10_000 }

    /// Compiles `pattern`, or nil when it is outside the subset (see the type's documentation).
    init?(pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let node = parser.parse() else { return nil }
        var program = Program()
        program.sets = parser.sets
        program.emit(node)
        program.append(.match)
        guard !program.tooLarge, program.ops.count <= Self.maxProgram else { return nil }
        ops = program.ops
        first = program.first
        second = program.second
        sets = program.sets
        let (bytes, canBeEmpty) = Self.firstBytes(node, sets: program.sets)
        startBytes = bytes
        nullable = canBeEmpty
    }

    /// The first match in `text` (which must be ASCII), as ICU would find it.
    func firstMatch(in text: UnsafeBufferPointer<UInt8>) -> Search {
        let plain = search(text, memo: nil, budget: Self.stepBudget(textCount: text.count))
        if plain.outcome != .gaveUp { return plain }
        let bits = ops.count * (text.count + 1)
        guard bits <= Self.maxMemoBits else { return Search(outcome: .gaveUp, steps: plain.steps, memoized: false) }
        let memo = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: (bits + 63) / 64)
        memo.initialize(repeating: 0)
        defer { memo.deallocate() }
        var memoized = search(text, memo: memo, budget: .max)
        memoized.steps += plain.steps
        memoized.memoized = true
        return memoized
    }

    private func search(_ text: UnsafeBufferPointer<UInt8>, memo: UnsafeMutableBufferPointer<UInt64>?, budget: Int)
        -> Search
    {
        let n = text.count
        var steps = 0
        var stack: [Int] = []
        for start in 0...n {
            if !nullable {
                guard start < n, startBytes[Int(text[start] & 0x7F)] else { continue }
            }
            stack.append(0)
            stack.append(start)
            while let pos0 = stack.popLast() {
                var pos = pos0
                var pc = Int(stack.removeLast())
                thread: while true {
                    if let memo {
                        let bit = pc * (n + 1) + pos
                        let mask = UInt64(1) << UInt64(bit & 63)
                        if memo[bit >> 6] & mask != 0 { break thread }
                        memo[bit >> 6] |= mask
                    }
                    steps += 1
                    if steps > budget { return Search(outcome: .gaveUp, steps: steps, memoized: false) }
                    switch ops[pc] {
                    case .byte:
                        guard pos < n, Self.lower(text[pos]) == UInt8(truncatingIfNeeded: first[pc]) else {
                            break thread
                        }
                        pc += 1
                        pos += 1
                    case .set:
                        guard pos < n, sets[Int(first[pc]) * 128 + Int(text[pos] & 0x7F)] else { break thread }
                        pc += 1
                        pos += 1
                    case .any:
                        guard pos < n, !Self.isLineTerminator(text[pos]) else { break thread }
                        pc += 1
                        pos += 1
                    case .split:
                        stack.append(Int(second[pc]))
                        stack.append(pos)
                        pc = Int(first[pc])
                    case .jump:
                        pc = Int(first[pc])
                    case .wordBoundary, .notWordBoundary:
                        let before = pos > 0 && Self.isWord(text[pos - 1])
                        let after = pos < n && Self.isWord(text[pos])
                        guard (before != after) == (ops[pc] == .wordBoundary) else { break thread }
                        pc += 1
                    case .start:
                        guard pos == 0 else { break thread }
                        pc += 1
                    case .end:
                        guard Self.atEnd(text, pos) else { break thread }
                        pc += 1
                    case .match:
                        return Search(outcome: .found(start..<pos), steps: steps, memoized: false)
                    }
                }
            }
        }
        return Search(outcome: .notFound, steps: steps, memoized: false)
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
    @inline(__always)
    static func isLineTerminator(_ byte: UInt8) -> Bool { byte >= 0x0A && byte <= 0x0D }
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        let l = byte | 0x20
        return (l >= 0x61 && l <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }
    static func isSpace(_ byte: UInt8) -> Bool { (byte >= 0x09 && byte <= 0x0D) || byte == 0x20 }

    /// ICU's `$` without multi-line mode: the end, or before a line terminator (or `\r\n`) that ends the text.
    static func atEnd(_ text: UnsafeBufferPointer<UInt8>, _ pos: Int) -> Bool {
        let n = text.count
        if pos == n { return true }
        if pos == n - 1, isLineTerminator(text[pos]) {
            return !(text[pos] == 0x0A && pos > 0 && text[pos - 1] == 0x0D)
        }
        return pos == n - 2 && text[pos] == 0x0D && text[pos + 1] == 0x0A
    }

    /// Whether every byte of `text` is ASCII.
    static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in text { any |= byte }
        return any < 0x80
    }

    // MARK: parsing

    indirect enum Node {
        case empty
        case byte(UInt8)
        case set(Int)
        case any
        case assertion(Op)
        case concat([Node])
        case alternation([Node])
        /// `max` nil: unbounded.
        case repetition(Node, min: Int, max: Int?, greedy: Bool)

        var nullable: Bool {
            switch self {
            case .empty, .assertion: return true
            case .byte, .set, .any: return false
            case .concat(let items): return items.allSatisfy(\.nullable)
            case .alternation(let branches): return branches.contains(where: \.nullable)
            case .repetition(let node, let min, _, _): return min == 0 || node.nullable
            }
        }
    }

    /// Reads the accepted subset; nil for anything else.
    struct Parser: PatternCursor {
        let bytes: [UInt8]
        var index = 0
        /// Class tables, 128 entries each.
        var sets: [Bool] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func parse() -> Node? {
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard let node = alternation(depth: 0), index == bytes.count else { return nil }
            return node
        }

        private mutating func alternation(depth: Int) -> Node? {
            guard depth < 64 else { return nil }
            var branches: [Node] = []
            // Bounded: each pass consumes a branch and one `|`, or stops.
            for _ in 0...bytes.count {
                guard let branch = sequence(depth: depth) else { return nil }
                branches.append(branch)
                guard peek() == UInt8(ascii: "|") else { break }
                index += 1
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func sequence(depth: Int) -> Node? {
            var items: [Node] = []
            // Bounded: every pass consumes at least one byte or fails.
            while let byte = peek(), byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                let start = index
                guard let atom = atom(depth: depth) else { return nil }
                guard let item = quantified(atom) else { return nil }
                guard index > start else { return nil }
                items.append(item)
            }
            return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items)
        }

        private mutating func atom(depth: Int) -> Node? {
            guard let byte = peek() else { return nil }
            index += 1
            switch byte {
            case UInt8(ascii: "("):
                if peek() == UInt8(ascii: "?") {
                    guard peek(1) == UInt8(ascii: ":") else { return nil }
                    index += 2
                }
                guard let inner = alternation(depth: depth + 1), peek() == UInt8(ascii: ")") else { return nil }
                index += 1
                return inner
            case UInt8(ascii: "["):
                return characterClass()
            case UInt8(ascii: "."):
                return .any
            case UInt8(ascii: "^"):
                return .assertion(.start)
            case UInt8(ascii: "$"):
                return .assertion(.end)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { return nil }
                index += 1
                switch escaped {
                case UInt8(ascii: "b"): return .assertion(.wordBoundary)
                case UInt8(ascii: "B"): return .assertion(.notWordBoundary)
                case UInt8(ascii: "n"): return .byte(0x0A)
                case UInt8(ascii: "t"): return .byte(0x09)
                case UInt8(ascii: "r"): return .byte(0x0D)
                default:
                    if let table = Self.escapeClass(escaped) { return .set(addSet(table)) }
                    guard Self.isLiteralEscape(escaped) else { return nil }
                    return literal(escaped)
                }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "]"):
                return nil
            default:
                return literal(byte)
            }
        }

        private mutating func literal(_ byte: UInt8) -> Node {
            let l = ASCIIRegex.lower(byte)
            guard l >= 0x61 && l <= 0x7A else { return .byte(byte) }
            return .byte(l)
        }

        /// A quantifier after `atom`, if any.
        private mutating func quantified(_ atom: Node) -> Node? {
            guard let byte = peek() else { return atom }
            var min = 0
            var max: Int?
            switch byte {
            case UInt8(ascii: "*"):
                index += 1
            case UInt8(ascii: "+"):
                index += 1
                min = 1
            case UInt8(ascii: "?"):
                index += 1
                max = 1
            case UInt8(ascii: "{"):
                index += 1
                guard let low = decimal(maxDigits: 5) else { return nil }
                min = low
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    if peek() == UInt8(ascii: "}") {
                        max = nil
                    } else {
                        guard let high = decimal(maxDigits: 5) else { return nil }
                        max = high
                    }
                } else {
                    max = low
                }
                guard peek() == UInt8(ascii: "}") else { return nil }
                index += 1
            default:
                return atom
            }
            var greedy = true
            if peek() == UInt8(ascii: "?") {
                greedy = false
                index += 1
            }
            // Possessive quantifiers and a quantifier on a quantifier stay ICU's.
            if let next = peek(),
                [UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{")]
                    .contains(next)
            {
                return nil
            }
            if case .assertion = atom { return nil }
            if let max, max < min || max > 1000 { return nil }
            if min > 1000 { return nil }
            // ICU's handling of empty iterations is its own: a loop over a sub-pattern that can match nothing
            // stays ICU's.
            if atom.nullable, max != 1 { return nil }
            return .repetition(atom, min: min, max: max, greedy: greedy)
        }

        /// `[…]`, after the `[`: closed over case, then negated (ICU's order).
        private mutating func characterClass() -> Node? {
            var table = [Bool](repeating: false, count: 128)
            var negated = false
            if peek() == UInt8(ascii: "^") {
                negated = true
                index += 1
            }
            var count = 0
            // Bounded: each pass consumes at least one byte or fails.
            while true {
                guard let byte = peek() else { return nil }
                if byte == UInt8(ascii: "]") {
                    guard count > 0 else { return nil }
                    index += 1
                    break
                }
                count += 1
                var low: UInt8
                switch byte {
                case UInt8(ascii: "\\"):
                    guard let escaped = peek(1) else { return nil }
                    index += 2
                    if let escapeTable = Self.escapeClass(escaped) {
                        for b in 0..<128 where escapeTable[b] { table[b] = true }
                        continue
                    }
                    switch escaped {
                    case UInt8(ascii: "n"): low = 0x0A
                    case UInt8(ascii: "t"): low = 0x09
                    case UInt8(ascii: "r"): low = 0x0D
                    default:
                        guard Self.isLiteralEscape(escaped) else { return nil }
                        low = escaped
                    }
                case UInt8(ascii: "-"):
                    // A literal only first or last.
                    guard count == 1 || peek(1) == UInt8(ascii: "]") else { return nil }
                    index += 1
                    low = byte
                case UInt8(ascii: "["), UInt8(ascii: "&"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"),
                    UInt8(ascii: "^"):
                    return nil
                default:
                    index += 1
                    low = byte
                }
                var high = low
                if byte != UInt8(ascii: "-"), peek() == UInt8(ascii: "-"), let after = peek(1),
                    after != UInt8(ascii: "]")
                {
                    index += 1
                    guard let end = peek() else { return nil }
                    if end == UInt8(ascii: "\\") {
                        guard let escaped = peek(1), Self.isLiteralEscape(escaped) else { return nil }
                        index += 2
                        high = escaped
                    } else {
                        guard
                            ![
                                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "&"), UInt8(ascii: "-"),
                                UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "^"),
                            ].contains(end)
                        else { return nil }
                        index += 1
                        high = end
                    }
                    guard high >= low else { return nil }
                }
                for b in low...high { table[Int(b)] = true }
            }
            for b in 0..<128 where table[b] {
                let l = ASCIIRegex.lower(UInt8(b))
                if l >= 0x61 && l <= 0x7A {
                    table[Int(l)] = true
                    table[Int(l - 0x20)] = true
                }
            }
            if negated { table = table.map { !$0 } }
            return .set(addSet(table))
        }

        private mutating func addSet(_ table: [Bool]) -> Int {
            sets += table
            return sets.count / 128 - 1
        }

        /// The table of `\d \w \s \D \W \S`, nil for other escapes.
        static func escapeClass(_ escaped: UInt8) -> [Bool]? {
            let test: (UInt8) -> Bool
            switch escaped | 0x20 {
            case UInt8(ascii: "d"): test = { $0 >= 0x30 && $0 <= 0x39 }
            case UInt8(ascii: "w"): test = ASCIIRegex.isWord
            case UInt8(ascii: "s"): test = ASCIIRegex.isSpace
            default: return nil
            }
            let negated = escaped < 0x60
            return (0..<128).map { test(UInt8($0)) != negated }
        }

        /// Punctuation and symbols, which a backslash makes literal (letters and digits are ICU's escapes).
        static func isLiteralEscape(_ byte: UInt8) -> Bool {
            let l = byte | 0x20
            return byte > 0x20 && byte < 0x7F && !(byte >= 0x30 && byte <= 0x39) && !(l >= 0x61 && l <= 0x7A)
        }
    }

    // MARK: compiling

    struct Program {
        var ops: [Op] = []
        var first: [Int32] = []
        var second: [Int32] = []
        var sets: [Bool] = []
        var tooLarge = false

        @discardableResult
        mutating func append(_ op: Op, _ a: Int = 0, _ b: Int = 0) -> Int {
            ops.append(op)
            first.append(Int32(truncatingIfNeeded: a))
            second.append(Int32(truncatingIfNeeded: b))
            return ops.count - 1
        }

        mutating func emit(_ node: Node) {
            if ops.count > ASCIIRegex.maxProgram {
                tooLarge = true
                return
            }
            switch node {
            case .empty:
                break
            case .byte(let b):
                append(.byte, Int(b))
            case .set(let index):
                append(.set, index)
            case .any:
                append(.any)
            case .assertion(let op):
                append(op)
            case .concat(let items):
                for item in items { emit(item) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (i, branch) in branches.enumerated() {
                    if i < branches.count - 1 {
                        let split = append(.split)
                        first[split] = Int32(ops.count)
                        emit(branch)
                        jumps.append(append(.jump))
                        second[split] = Int32(ops.count)
                    } else {
                        emit(branch)
                    }
                }
                for jump in jumps { first[jump] = Int32(ops.count) }
            case .repetition(let inner, let min, let max, let greedy):
                for _ in 0..<min { emit(inner) }
                if let max {
                    // (x(x(x)?)?)? for the optional copies.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(append(.split))
                        emit(inner)
                        if tooLarge { return }
                    }
                    let end = ops.count
                    for split in splits { branch(split, body: split + 1, out: end, greedy: greedy) }
                } else {
                    let split = append(.split)
                    emit(inner)
                    append(.jump, split)
                    branch(split, body: split + 1, out: ops.count, greedy: greedy)
                }
            }
        }

        private mutating func branch(_ split: Int, body: Int, out: Int, greedy: Bool) {
            first[split] = Int32(greedy ? body : out)
            second[split] = Int32(greedy ? out : body)
        }
    }

    /// The bytes a match of `node` can start with, and whether it can match the empty string.
    static func firstBytes(_ node: Node, sets: [Bool]) -> ([Bool], Bool) {
        var table = [Bool](repeating: false, count: 128)
        switch node {
        case .empty, .assertion:
            return (table, true)
        case .byte(let b):
            table[Int(b)] = true
            if b >= 0x61 && b <= 0x7A { table[Int(b - 0x20)] = true }
            return (table, false)
        case .set(let index):
            return (Array(sets[(index * 128)..<(index * 128 + 128)]), false)
        case .any:
            return ((0..<128).map { !isLineTerminator(UInt8($0)) }, false)
        case .concat(let items):
            for item in items {
                let (bytes, nullable) = firstBytes(item, sets: sets)
                for b in 0..<128 where bytes[b] { table[b] = true }
                if !nullable { return (table, false) }
            }
            return (table, true)
        case .alternation(let branches):
            var nullable = false
            for branch in branches {
                let (bytes, canBeEmpty) = firstBytes(branch, sets: sets)
                for b in 0..<128 where bytes[b] { table[b] = true }
                nullable = nullable || canBeEmpty
            }
            return (table, nullable)
        case .repetition(let inner, let min, _, _):
            let (bytes, nullable) = firstBytes(inner, sets: sets)
            return (bytes, nullable || min == 0)
        }
    }
}
