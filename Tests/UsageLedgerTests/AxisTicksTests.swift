import RouterCore
import Testing

@testable import UsageLedger

/// The report's value axis: round steps, labels that differ, a scale that covers the data.
@Suite struct AxisTicksTests {
    @Test(arguments: [
        // (maximum in nano-dollars, expected labels)
        (Int64(12_000_000), ["$0.000", "$0.005", "$0.010", "$0.015"]),  // $0.012: once $0.01,$0.01,$0.00,$0.00
        (Int64(9_000_000), ["$0.0000", "$0.0025", "$0.0050", "$0.0075", "$0.0100"]),
        (Int64(1), ["$0.000000000", "$0.000000001"]),
        (Int64(3_000_000_000), ["$0.00", "$1.00", "$2.00", "$3.00"]),
        (Int64(350_000_000_000), ["$0.00", "$100.00", "$200.00", "$300.00", "$400.00"]),
    ])
    func labelsAreRoundAndDistinct(maximum: Int64, labels: [String]) {
        let axis = AxisTicks(maximum: maximum)
        #expect(axis.labels == labels)
    }

    @Test(arguments: [Int64(1), 7, 12_345, 999_999, 12_000_000, 87_654_321, 5_000_000_001, Int64.max / 3, Int64.max])
    func everyAxisCoversItsMaximumWithDistinctLabels(maximum: Int64) {
        let axis = AxisTicks(maximum: maximum)
        // Covered, unless no tick above the maximum fits in an Int64 (the scale then stops at the last one).
        #expect(axis.top >= maximum || maximum > Int64.max - axis.step)
        #expect(axis.ticks.count <= 5)
        #expect(Set(axis.labels).count == axis.labels.count)
        #expect(axis.ticks.first == .zero)
    }
}
