import Foundation

/// A seeded SplitMix64 generator with the distributions the traffic generators draw from: the same seed gives
/// the same trace on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Exponential with the given mean (Poisson inter-arrivals).
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = max(unit(), 1e-12)
        return sqrt(-2 * log(u)) * cos(2 * Double.pi * unit())
    }

    /// Log-normal with the given median and log-space standard deviation, clamped to `range`.
    public mutating func logNormal(median: Double, sigma: Double, in range: ClosedRange<Double> = 1...1e7) -> Double {
        min(range.upperBound, max(range.lowerBound, median * exp(sigma * normal())))
    }

    /// Log-normal rounded to a whole number of tokens (at least 1).
    public mutating func tokens(median: Double, sigma: Double, max upper: Double = 200_000) -> Int {
        Int(logNormal(median: median, sigma: sigma, in: 1...upper).rounded())
    }

    /// 1 + a geometric number of further trials, each continuing with probability `p` (mean 1/(1 − p)).
    public mutating func runLength(continuing p: Double, max upper: Int = 10_000) -> Int {
        var n = 1
        while n < upper, chance(p) { n += 1 }
        return n
    }

    /// An index in 0..<count drawn with Zipf weights 1/(rank+1)^s.
    public mutating func zipf(count: Int, s: Double) -> Int {
        var total = 0.0
        for rank in 0..<count { total += 1 / pow(Double(rank + 1), s) }
        var target = unit() * total
        for rank in 0..<count {
            target -= 1 / pow(Double(rank + 1), s)
            if target <= 0 { return rank }
        }
        return count - 1
    }
}
