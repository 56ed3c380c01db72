// Text helpers of the report writers: JSON strings and ratios, and the CSV and Markdown escapes.

/// Minimal JSON text helpers for the report writers.
enum JSONText {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

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
