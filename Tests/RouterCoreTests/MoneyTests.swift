import Testing

@testable import RouterCore

@Suite struct MoneyTests {
    @Test(arguments: [
        ("12", Int64(12_000_000_000)), ("0.5", 500_000_000), ("3.000000001", 3_000_000_001), ("-0.25", -250_000_000),
        ("$1.10", 1_100_000_000),
    ])
    func parsesDollarsExactly(text: String, nanos: Int64) {
        #expect(Money(dollars: text)?.nanoUSD == nanos)
    }

    @Test(arguments: ["", "1.", "abc", "1.0000000001", "1e3"])
    func rejectsMalformedAmounts(text: String) {
        #expect(Money(dollars: text) == nil)
    }

    @Test func roundsHalfAwayFromZeroForDisplay() {
        #expect(Money(nanoUSD: 1_234_500).dollars(decimals: 6) == "0.001235")
        #expect(Money(nanoUSD: -1_234_500).dollars(decimals: 6) == "-0.001235")
        #expect(Money(nanoUSD: 1_000_000_001).exactDollars == "1.000000001")
    }
}
