/// An exact amount of US dollars, in nano-dollars (10⁻⁹ USD).
///
/// Int64 nano-dollars hold ±$9.2 billion; a cache read of the cheapest model ($0.03 per million tokens) is 30
/// nano-dollars per token, so every per-token price of the Claude API is a whole number in this unit. Sums are
/// integer sums: no floating point touches money.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in nano-dollars.
    public var nanoUSD: Int64

    public init(nanoUSD: Int64) { self.nanoUSD = nanoUSD }

    public static let zero = Money(nanoUSD: 0)
    public static let nanosPerDollar: Int64 = 1_000_000_000

    public static func + (lhs: Money, rhs: Money) -> Money { Money(nanoUSD: lhs.nanoUSD + rhs.nanoUSD) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(nanoUSD: lhs.nanoUSD - rhs.nanoUSD) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.nanoUSD += rhs.nanoUSD }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.nanoUSD -= rhs.nanoUSD }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.nanoUSD < rhs.nanoUSD }

    /// The amount as a decimal string of dollars with all nine decimals, e.g. `0.001234500`.
    public var exactDollars: String { Self.format(nanoUSD, decimals: 9) }

    /// The amount in dollars rounded half away from zero to `decimals` places (0…9), e.g. `$0.0012` for 4.
    public func dollars(decimals: Int) -> String {
        let decimals = max(0, min(9, decimals))
        var divisor: Int64 = 1
        for _ in 0..<(9 - decimals) { divisor *= 10 }
        let half = divisor / 2
        let rounded = nanoUSD >= 0 ? (nanoUSD + half) / divisor : -((-nanoUSD + half) / divisor)
        return Self.format(rounded, decimals: decimals)
    }

    /// The amount in dollars with at least two decimals and as many more as it needs to be exact (at most nine):
    /// `20.00`, `0.01`, `0.002`, `0.0125`. For messages, where `$0.00` would hide a limit of a fifth of a cent.
    public var readableDollars: String {
        var text = exactDollars
        while text.hasSuffix("0"), let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 3 {
            text.removeLast()
        }
        return text
    }

    public var description: String { "$" + exactDollars }

    static func format(_ value: Int64, decimals: Int) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let whole = magnitude / scale
        let fraction = magnitude % scale
        var text = String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return negative ? "-" + text : text
    }

    /// Parses a decimal dollar amount such as `12`, `0.5` or `3.000000001` exactly (at most nine decimals).
    public init?(dollars text: String) {
        var text = Substring(text.trimmingSpaces)
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text = text.dropFirst()
        }
        if text.hasPrefix("$") { text = text.dropFirst() }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholePart = parts.first, !wholePart.isEmpty || parts.count == 2,
            wholePart.allSatisfy(\.isASCIIDigit)
        else { return nil }
        let whole = wholePart.isEmpty ? 0 : Int64(wholePart)
        guard let whole else { return nil }
        var fractionNanos: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            fractionNanos = Int64(fraction + String(repeating: "0", count: 9 - fraction.count)) ?? 0
        }
        let (product, overflow) = whole.multipliedReportingOverflow(by: Self.nanosPerDollar)
        guard !overflow else { return nil }
        let total = product + fractionNanos
        self.nanoUSD = negative ? -total : total
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
