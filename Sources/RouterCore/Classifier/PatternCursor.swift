/// A position in a pattern's ASCII bytes: what the two readers of ICU pattern syntax (`ASCIIRegex.Parser` and
/// `LiteralPrefilter.Parser`) step through.
protocol PatternCursor {
    /// The pattern's bytes.
    var bytes: [UInt8] { get }
    /// The index of the next byte to read.
    var index: Int { get set }
}

extension PatternCursor {
    /// The byte `offset` past the next one, or nil past the end.
    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// Reads at most `maxDigits` decimal digits: their value, or nil when the next byte is not a digit.
    mutating func decimal(maxDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while let d = peek(), d >= 0x30, d <= 0x39, digits < maxDigits {
            value = value * 10 + Int(d - 0x30)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}
