// Text helpers of the report writers: JSON strings and ratios, and the CSV and Markdown escapes.

import ClaudeAPI

/// Minimal JSON text helpers for the report writers.
enum JSONText {
    /// `text` as a JSON string literal, escaped as every other JSON the service writes.
    static func string(_ text: String) -> String { JSONValue.string(text).jsonString() }

    /// A ratio with six decimals (display only; money is never a float).
    static func number(_ value: Double) -> String {
        let scaled = Int64((value * 1_000_000).rounded())
        return
            "\(scaled / 1_000_000).\(String(repeating: "0", count: 6 - String(scaled % 1_000_000).count))\(scaled % 1_000_000)"
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
    func replacingQuotes() -> String {
        split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
    }
    func replacingPipes() -> String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
