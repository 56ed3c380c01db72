import Foundation
import Testing

@testable import RouterCore

/// The classifier rules' ASCII matcher answers as ICU does on every pattern it accepts, gives the rest to ICU, and
/// stays bounded on patterns that make a backtracking engine explode.
@Suite struct ASCIIRegexTests {
    /// ICU's first match (`NSRegularExpression`, case-insensitive, as `TextPattern` compiles it), in UTF-16 offsets
    /// (byte offsets on ASCII text).
    static func icu(_ pattern: String, _ text: String) throws -> Range<Int>? {
        let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        let ns = text as NSString
        guard let match = regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: ns.length))
        else { return nil }
        return match.range.location..<(match.range.location + match.range.length)
    }

    static func ascii(_ regex: ASCIIRegex, _ text: String) -> ASCIIRegex.Search {
        var text = text
        return text.withUTF8 { regex.firstMatch(in: $0) }
    }

    /// A small deterministic generator (SplitMix64), so a failure names a seed that reproduces it.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    /// A random pattern of the accepted grammar, `depth` levels of groups at most.
    static func pattern(_ r: inout Random, depth: Int = 0) -> String {
        var out = ""
        let branches = depth < 2 && r.below(4) == 0 ? 2 + r.below(2) : 1
        for b in 0..<branches {
            if b > 0 { out += "|" }
            for _ in 0..<(1 + r.below(4)) {
                var atom: String
                var quantifiable = true
                switch r.below(12) {
                case 0, 1, 2: atom = r.pick(["a", "b", "A", "B", "1", " ", "_", "-", "x", "ab", "Ba"])
                case 3: atom = r.pick([#"\."#, #"\-"#, #"\("#, #"\n"#, #"\t"#, #"\r"#, #"\_"#])
                case 4:
                    atom = r.pick([
                        "[a-c]", "[^ab]", #"[\d_]"#, "[-a]", "[a-]", "[B-b]", #"[^\s]"#, #"[\w-]"#, "[^a-zA-Z]", "[.x]",
                        #"[\n\t ]"#, #"[^\W1]"#, "[A]", "[^b]",
                    ])
                case 5: atom = "."
                case 6: atom = r.pick([#"\d"#, #"\w"#, #"\s"#, #"\D"#, #"\W"#, #"\S"#])
                case 7:
                    atom = r.pick([#"\b"#, #"\B"#, "^", "$"])
                    quantifiable = false
                case 8 where depth < 2, 9 where depth < 2:
                    atom = r.pick(["(", "(?:"]) + pattern(&r, depth: depth + 1) + ")"
                default: atom = r.pick(["a", "b", "B"])
                }
                if quantifiable, r.below(3) == 0 {
                    atom += r.pick(["?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}", "{0,1}"])
                    if r.below(4) == 0 { atom += "?" }
                }
                out += atom
            }
        }
        return out
    }

    static func text(_ r: inout Random) -> String {
        let alphabet: [String] = [
            "a", "b", "A", "B", "x", "1", "2", "_", "-", ".", " ", " ", "\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{1C}",
            "(", "ab", "AB",
        ]
        return (0..<r.below(16)).map { _ in r.pick(alphabet) }.joined()
    }

    @Test func randomPatternsMatchAsICUDoesOnRandomTexts() throws {
        var r = Random(state: 20_261_205)
        var accepted = 0
        var compared = 0
        var found = 0
        let patterns = 600
        for _ in 0..<patterns {
            let pattern = Self.pattern(&r)
            guard (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])) != nil else { continue }
            guard let regex = ASCIIRegex(pattern: pattern) else { continue }
            accepted += 1
            for _ in 0..<25 {
                let text = Self.text(&r)
                let expected = try Self.icu(pattern, text)
                let got = Self.ascii(regex, text)
                compared += 1
                if expected != nil { found += 1 }
                #expect(
                    got.outcome == (expected.map { .found($0) } ?? .notFound),
                    "/\(pattern)/ on \(text.debugDescription): ICU \(String(describing: expected))")
            }
        }
        // The generator stays inside the grammar: most of its patterns are accepted (the rest loop over
        // sub-patterns that can match nothing), and the texts both match and miss.
        #expect(accepted * 10 >= patterns * 7, "\(accepted) of \(patterns) accepted")
        #expect(found * 5 > compared && found * 5 < compared * 4, "\(found) of \(compared) matched")
    }

    @Test(arguments: [
        "(?i)abc", "(?=a)b", "(?!a)b", "(?<=a)b", "a(?#comment)", #"\p{L}"#, #"\x41"#, #"\Qa\E"#, #"(a)\1"#, "a*+",
        "[[:alpha:]]", "[a&&b]", "[[a]]", "(a*)*", "(a?)+b", "(|a)+", "é", "a{2000}", #"\Aa"#, #"a\z"#,
    ])
    func patternsOutsideTheSubsetStayICUs(pattern: String) {
        #expect(ASCIIRegex(pattern: pattern) == nil)
    }

    /// Every prompt of the labelled corpus and the policy's examples.
    static func corpusTexts() throws -> [String] {
        var texts: [String] = []
        func collect(_ value: Any?) {
            if let s = value as? String {
                texts.append(s)
            } else if let blocks = value as? [[String: Any]] {
                for block in blocks { if let s = block["text"] as? String { texts.append(s) } }
            }
        }
        for dir in ["/Evaluation/routing/labels", "/policies/examples"] {
            let path = Shipped.root + dir
            for file in try FileManager.default.contentsOfDirectory(atPath: path) where file.hasSuffix(".jsonl") {
                let content = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
                for line in content.split(separator: "\n") {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    else { continue }
                    collect(object["text"])
                    if let request = object["request"] as? [String: Any] {
                        collect(request["system"])
                        for message in request["messages"] as? [[String: Any]] ?? [] { collect(message["content"]) }
                    }
                }
            }
        }
        return texts
    }

    @Test func theShippedRulesMatchAsICUDoesOnTheCorpus() throws {
        var patterns: [TextPattern] = []
        for rule in Shipped.policy.classifier.rules {
            if let pattern = rule.userText { patterns.append(pattern) }
            if let pattern = rule.systemText { patterns.append(pattern) }
        }
        #expect(patterns.count >= 7)
        #expect(patterns.allSatisfy { $0.ascii != nil }, "every shipped pattern is in the subset")
        let texts = try Self.corpusTexts()
        #expect(texts.count > 2_000)
        var asciiTexts = 0
        var matches = 0
        for text in texts {
            var copy = text
            guard copy.withUTF8({ ASCIIRegex.isASCII($0) }) else { continue }
            asciiTexts += 1
            for pattern in patterns {
                let expected = try Self.icu(pattern.source, text)
                let got = Self.ascii(pattern.ascii!, text)
                if expected != nil { matches += 1 }
                #expect(got.outcome == (expected.map { .found($0) } ?? .notFound), "\(pattern) on \(text.prefix(80))")
                #expect(pattern.firstMatch(in: text) == pattern.regexFirstMatch(in: text))
            }
        }
        #expect(asciiTexts * 2 > texts.count)
        #expect(matches > 100)
    }

    @Test func catastrophicBacktrackingIsBoundedByTheVisitedSet() throws {
        let regex = try #require(ASCIIRegex(pattern: "(a+)+b"))
        let text = String(repeating: "a", count: 3_000)
        let search = Self.ascii(regex, text)
        #expect(search.outcome == .notFound)
        #expect(search.memoized)
        // Plain backtracking's budget, then at most one step per (instruction, position).
        #expect(search.steps <= ASCIIRegex.stepBudget(textCount: 3_000) + 1 + regex.ops.count * 3_001)
        // The same through TextPattern (ICU would take 2^3000 steps here).
        #expect(try TextPattern(pattern: "(a+)+b").firstMatch(in: text) == nil)
        #expect(try TextPattern(pattern: "(a+)+b").firstMatch(in: text + "b") == text + "b")
    }

    @Test func aSearchTooLargeForItsVisitedSetGivesUpSoICUAnswers() throws {
        let regex = try #require(ASCIIRegex(pattern: "x{600}|(a+)+b"))
        let count = ASCIIRegex.maxMemoBits / regex.ops.count + 1
        let search = Self.ascii(regex, String(repeating: "a", count: count))
        #expect(search.outcome == .gaveUp)
        #expect(search.steps <= ASCIIRegex.stepBudget(textCount: count) + 1)
    }

    @Test func nonASCIITextGoesToICU() throws {
        let pattern = try TextPattern(pattern: #"\bstrasse\b|\bkelvin\b"#)
        // ICU folds ß to ss and the Kelvin sign to k; the ASCII matcher never sees these texts.
        #expect(pattern.firstMatch(in: "die Hauptstraße") == pattern.regexFirstMatch(in: "die Hauptstraße"))
        let kelvin = "\u{212A}elvin degrees"
        #expect(pattern.regexFirstMatch(in: kelvin) != nil)
        #expect(pattern.firstMatch(in: kelvin) == pattern.regexFirstMatch(in: kelvin))
        #expect(pattern.firstMatch(in: "café kelvin") == "kelvin")
    }
}
