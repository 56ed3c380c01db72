import Foundation

/// A compiled, case-insensitive regular expression from the policy, matched against request text.
///
/// ASCII texts go to `ASCIIRegex` when the pattern is in its subset (it answers as ICU does, much faster); other
/// texts and patterns to `NSRegularExpression`, which is immutable after creation and documented as safe to use
/// from many threads; that is what makes the `@unchecked Sendable` sound.
public final class TextPattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the policy (or built from a word list).
    public let source: String
    private let regex: NSRegularExpression
    /// Rules the regex out cheaply on texts that contain none of its literals (see `LiteralPrefilter`).
    let prefilter: LiteralPrefilter?
    /// Matches ASCII texts as ICU would, at a fraction of its cost; nil when the pattern is outside its subset.
    let ascii: ASCIIRegex?

    /// Compiles `pattern` case-insensitively.
    /// - Throws: the compiler's error when the pattern is not a valid ICU regular expression.
    public init(pattern: String) throws {
        self.source = pattern
        self.regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        self.prefilter = LiteralPrefilter(pattern: pattern)
        self.ascii = ASCIIRegex(pattern: pattern)
    }

    /// A pattern that matches any of `words` (or phrases) as whole words, case-insensitively.
    public convenience init(anyOf words: [String]) {
        let alternatives = words.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        // Escaped literals always compile.
        try! self.init(pattern: "\\b(?:\(alternatives))\\b")
    }

    /// The first matching substring of `text`, or nil when the pattern does not occur.
    public func firstMatch(in text: String) -> String? {
        // The regex engine costs ~50 µs per rule on a 2 KB prompt; most prompts hold none of a rule's literals.
        if let prefilter, !prefilter.mayMatch(text) { return nil }
        if let ascii {
            var text = text
            // nil: the text is not ASCII or the matcher gave up, so ICU answers.
            let answer: String?? = text.withUTF8 { bytes in
                guard ASCIIRegex.isASCII(bytes) else { return nil }
                switch ascii.firstMatch(in: bytes).outcome {
                case .found(let range): return .some(String(decoding: bytes[range], as: UTF8.self))
                case .notFound: return .some(nil)
                case .gaveUp: return nil
                }
            }
            if let answer { return answer }
        }
        return regexFirstMatch(in: text)
    }

    /// `firstMatch(in:)` without the prefilter: what the regex engine alone says (tests compare the two).
    func regexFirstMatch(in text: String) -> String? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = regex.firstMatch(in: text, options: [], range: range),
            let found = Range(match.range, in: text)
        else { return nil }
        return String(text[found])
    }

    /// Why a pattern does not compile, or nil when it does.
    public static func compileError(_ pattern: String) -> String? {
        do {
            _ = try NSRegularExpression(pattern: pattern, options: [])
            return nil
        } catch {
            return "invalid regular expression /\(pattern)/"
        }
    }

    public static func == (lhs: TextPattern, rhs: TextPattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
    public var description: String { "/\(source)/" }
}
