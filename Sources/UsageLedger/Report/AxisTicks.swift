import RouterCore

/// The value axis of a chart: round ticks from zero (steps of 1, 2, 2.5 or 5 × 10ⁿ nano-dollars) and the fewest
/// decimals (at least 2) that write every tick exactly, so adjacent labels always differ.
struct AxisTicks: Equatable {
    /// The distance between ticks, in nano-dollars (> 0).
    var step: Int64
    /// The ticks, from 0 to `top` inclusive.
    var ticks: [Money]
    /// The decimals each label needs.
    var decimals: Int

    /// The highest tick: the chart's full scale (≥ the maximum).
    var top: Int64 { ticks.last?.nanoUSD ?? step }

    /// Ticks covering `0…maximum` nano-dollars in at most `count` steps.
    init(maximum: Int64, count: Int = 4) {
        let intervals = Int64(max(1, count))
        let wanted = max(1, maximum)
        // The smallest nice step whose `intervals` steps reach the maximum.
        var magnitude: Int64 = 1
        var chosen: Int64 = 1
        search: while true {
            for (numerator, denominator) in [(1, 1), (2, 1), (5, 2), (5, 1)] as [(Int64, Int64)] {
                let (scaled, overflow) = magnitude.multipliedReportingOverflow(by: numerator)
                guard !overflow, scaled % denominator == 0 else { continue }
                let candidate = scaled / denominator
                let (reach, reachOverflow) = candidate.multipliedReportingOverflow(by: intervals)
                if reachOverflow || reach >= wanted {
                    chosen = candidate
                    break search
                }
            }
            let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow {
                chosen = magnitude
                break
            }
            magnitude = next
        }
        step = chosen
        var values: [Money] = [.zero]
        var value: Int64 = 0
        while value < wanted {
            let (next, overflow) = value.addingReportingOverflow(chosen)
            if overflow { break }
            value = next
            values.append(Money(nanoUSD: value))
        }
        ticks = values
        // Decimals: 9 minus the trailing zeros of the step (nano-dollars), never fewer than 2.
        var zeros = 0
        var rest = chosen
        while rest % 10 == 0, zeros < 9 {
            rest /= 10
            zeros += 1
        }
        decimals = max(2, 9 - zeros)
    }

    /// The labels, `$0.00`, `$0.0025`, …
    var labels: [String] { ticks.map { "$" + $0.dollars(decimals: decimals) } }
}
