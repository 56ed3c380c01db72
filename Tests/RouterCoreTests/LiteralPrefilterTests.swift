import Foundation
import Testing

@testable import RouterCore

/// The classifier rules' literal prefilter: which literals a pattern needs, and that it never changes an answer.
@Suite struct LiteralPrefilterTests {
    static func literals(_ pattern: String) -> [String]? {
        LiteralPrefilter(pattern: pattern)?.literals.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        (#"\bclassify\b"#, ["classify"]),
        (#"\bcategori[sz]e\b"#, ["categori"]),
        (#"label (this|the following|each)"#, ["label "]),
        (
            #"\b(refactor|debug|stack trace|unit tests?|SQL query)\b"#,
            ["refactor", "debug", "stack trace", "unit test", "sql query"]
        ),
        ("```", ["```"]),
        (#"\b(?:system design)\b|\b(?:trade\-offs)\b"#, ["system design", "trade-offs"]),
        (#"is (this|the following) .{0,40}(spam|positive|negative)"#, ["this", "the following"]),
        (#"colou?r"#, ["colo"]),
        (#"ab+c"#, ["ab"]),
        (#"x{2,}yz"#, ["yz"]),
    ])
    func aPatternNeedsOneOfItsLiterals(pattern: String, expected: [String]) {
        #expect(Self.literals(pattern) == expected)
    }

    @Test(arguments: [
        #"(?=refactor)"#, #"(?i)word"#, #"\p{L}+"#, #"(a)\1"#, "a?", #"\d+"#, "(word|.*)", #"caf\u00e9"#, "é",
    ])
    func aPatternWithoutANecessaryLiteralGetsNoPrefilter(pattern: String) {
        #expect(LiteralPrefilter(pattern: pattern) == nil)
    }

    @Test func aTextWithoutTheLiteralsIsRuledOutAndOneWithThemIsNot() throws {
        let filter = try #require(LiteralPrefilter(pattern: #"\b(?:architecture)\b|\b(?:data model)\b"#))
        #expect(!filter.mayMatch("The quarterly report lists revenue, churn and pipeline figures per region."))
        #expect(filter.mayMatch("Sketch the DATA Model for orders"))
        #expect(filter.mayMatch("an ARCHITECTURE review"))
        // A character that case-folds to ASCII letters (here the Kelvin sign) is left to the regex engine.
        #expect(filter.mayMatch("a 5 \u{212A} rise"))
    }

    /// Texts that stress case folding and word boundaries.
    static let tricky = [
        "", "K", "STRAßE and strasse", "ﬁle the ﬂow", "İstanbul", "Ǳ DŽ", "\u{212A}lassify this", "claſſify this",
        "Classify: spam or not?", "reclassify", "classify_me", "CLASSIFY", "categorise / categorize", "trade-offs",
        "Is this review positive?", "```swift\nlet x = 1\n```", "refactor.", "unit tests", "unit test", "émigré",
        "日本語のテキストを分類してください classify", "debug\u{301}", "data\u{00A0}model", "system  design",
    ]

    @Test func theShippedRulesGiveTheSameAnswerWithAndWithoutThePrefilter() throws {
        let policy = Shipped.policy
        var texts = Self.tricky
        let examples = Shipped.root + "/policies/examples"
        for file in try FileManager.default.contentsOfDirectory(atPath: examples) where file.hasSuffix(".jsonl") {
            let content = try String(contentsOfFile: examples + "/" + file, encoding: .utf8)
            for line in content.split(separator: "\n") {
                guard let data = line.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let text = object["text"] as? String
                else { continue }
                texts.append(text)
            }
        }
        #expect(texts.count > 300)
        var patterns: [TextPattern] = []
        for rule in policy.classifier.rules {
            if let pattern = rule.userText { patterns.append(pattern) }
            if let pattern = rule.systemText { patterns.append(pattern) }
        }
        #expect(patterns.count >= 7)
        #expect(patterns.allSatisfy { $0.prefilter != nil }, "every shipped rule gets a prefilter")
        var ruledOut = 0
        for pattern in patterns {
            for text in texts {
                let fast = pattern.firstMatch(in: text)
                #expect(fast == pattern.regexFirstMatch(in: text), "\(pattern) on \(text.prefix(80))")
                if let prefilter = pattern.prefilter, !prefilter.mayMatch(text) { ruledOut += 1 }
            }
        }
        // The point of it: most (pattern, prompt) pairs never reach the regex engine.
        #expect(ruledOut * 2 > patterns.count * texts.count, "\(ruledOut) of \(patterns.count * texts.count)")
    }
}
