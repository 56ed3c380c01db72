/// Exact prices of token usage, and the split of savings against the no-router baseline.
///
/// Prices are integer micro-dollars per million tokens, which is pico-dollars per token, so
/// `Σ tokens × price` is an exact amount of pico-dollars. The batch share (a percentage) multiplies that sum, and
/// the result is divided once into nano-dollars, rounding half up:
/// `cost_nano = round_half_up(Σ(tokens × µ$/MTok) × batchPercent / 100 / 1000)`.
/// One rounding per priced row means a row's cost is off by at most half a nano-dollar.
public enum Pricing {
    /// The exact cost of `usage` on `model` at the price in force on `day`; `batch` applies the batch share.
    public static func cost(of usage: TokenUsage, model: ModelSpec, on day: Day, batch: Bool = false) -> Money {
        cost(of: usage, price: model.price(on: day), batch: batch)
    }

    /// The exact cost of `usage` at `price`; `batch` applies the batch share.
    public static func cost(of usage: TokenUsage, price: ModelPrice, batch: Bool = false) -> Money {
        let pico =
            usage.input * price.input.microUSD + usage.output * price.output.microUSD
            + usage.cacheWrite5m * price.cacheWrite5m.microUSD + usage.cacheWrite1h * price.cacheWrite1h.microUSD
            + usage.cacheRead * price.cacheRead.microUSD
        let percent = batch ? price.batchPercent : 100
        return Money(nanoUSD: roundHalfUp(pico * percent, dividedBy: 100_000))
    }

    /// The usage with every cached token counted as plain input: what the same prompt costs without caching.
    public static func uncached(_ usage: TokenUsage) -> TokenUsage {
        TokenUsage(input: usage.totalInput, output: usage.output)
    }

    /// The cost, the baseline and the savings of one call, ready for a `UsageRecord`.
    public struct Breakdown: Sendable, Hashable {
        /// What the call cost.
        public var cost: Money
        /// What it would have cost on the baseline model, uncached, not batched.
        public var baselineCost: Money
        /// Baseline minus the served model's uncached, unbatched cost.
        public var savedByRouting: Money
        /// The served model's uncached cost minus its cached cost (negative when a cache write did not pay off).
        public var savedByCaching: Money
        /// The unbatched cost minus the batch cost.
        public var savedByBatching: Money
        /// The dated price that priced the call.
        public var priceVersion: String
    }

    /// Prices a call and splits `baseline − cost` into routing, caching and batching exactly.
    ///
    /// The three savings always sum to `baselineCost − cost`: each is a difference of two of four priced rows.
    public static func breakdown(
        usage: TokenUsage, model: ModelSpec, baseline: ModelSpec, on day: Day, batch: Bool
    ) -> Breakdown {
        let price = model.price(on: day)
        let actual = cost(of: usage, price: price, batch: batch)
        let cachedNoBatch = cost(of: usage, price: price, batch: false)
        let plain = cost(of: uncached(usage), price: price, batch: false)
        let baselineCost = cost(of: uncached(usage), price: baseline.price(on: day), batch: false)
        return Breakdown(
            cost: actual, baselineCost: baselineCost, savedByRouting: baselineCost - plain,
            savedByCaching: plain - cachedNoBatch, savedByBatching: cachedNoBatch - actual,
            priceVersion: model.priceVersion(on: day))
    }

    /// Fills the cost, baseline, savings and price version of `record` from its usage.
    public static func price(
        _ record: inout UsageRecord, model: ModelSpec, baseline: ModelSpec, on day: Day
    ) {
        let b = breakdown(usage: record.usage, model: model, baseline: baseline, on: day, batch: record.mode == .batch)
        record.cost = b.cost
        record.baselineCost = b.baselineCost
        record.savedByRouting = b.savedByRouting
        record.savedByCaching = b.savedByCaching
        record.savedByBatching = b.savedByBatching
        record.priceVersion = b.priceVersion
    }

    static func roundHalfUp(_ value: Int64, dividedBy divisor: Int64) -> Int64 {
        value >= 0 ? (value + divisor / 2) / divisor : -((-value + divisor / 2) / divisor)
    }
}
