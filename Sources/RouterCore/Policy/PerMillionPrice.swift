/// A price per million tokens, kept as integer micro-dollars per million tokens.
///
/// One micro-dollar per million tokens is one pico-dollar per token, so a token count times this value is an exact
/// amount of pico-dollars; `Pricing` turns the sum into nano-dollars with a single rounding.
public struct PerMillionPrice: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Micro-dollars (10⁻⁶ USD) per million tokens; `3_000_000` is $3/MTok.
    public var microUSD: Int64

    /// Creates a price from micro-dollars per million tokens.
    public init(microUSD: Int64) { self.microUSD = microUSD }

    /// Parses a decimal number of dollars per million tokens such as `3`, `0.30` or `1.25` (at most six decimals).
    public init?(usd text: String) {
        guard let money = Money(dollars: text), money.nanoUSD % 1000 == 0 else { return nil }
        self.microUSD = money.nanoUSD / 1000
    }

    /// This price scaled by `numerator/denominator`, rounded half up to a whole micro-dollar.
    public func scaled(_ numerator: Int64, _ denominator: Int64) -> PerMillionPrice {
        PerMillionPrice(microUSD: (microUSD * numerator * 2 + denominator) / (denominator * 2))
    }

    public static func < (lhs: PerMillionPrice, rhs: PerMillionPrice) -> Bool { lhs.microUSD < rhs.microUSD }

    /// Dollars per million tokens, e.g. `$3.75/MTok`.
    public var description: String {
        var text = Money(nanoUSD: microUSD * 1000).exactDollars
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return "$\(text)/MTok"
    }
}
