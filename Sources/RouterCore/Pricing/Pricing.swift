/// Exact prices of token usage, and the split of savings against the baseline (what the application would have
/// sent without the router).
///
/// Prices are integer micro-dollars per million tokens, which is pico-dollars per token, so
/// `Σ tokens × price` is an exact amount of pico-dollars. The batch share and the `inference_geo` multiplier (both
/// percentages) multiply that sum, and the result is divided once into nano-dollars, rounding half up; the web-search
/// fee (a whole number of nano-dollars per search at $10 per 1,000) is added after:
/// `cost_nano = round_half_up(Σ(tokens × µ$/MTok) × batchPercent × geoPercent / 10_000 / 1000)
///              + round_half_up(web_search_requests × fee_per_1000_nano / 1000)`.
/// One rounding per priced row means a row's cost is off by at most half a nano-dollar (plus half for the fee).
///
/// All arithmetic is checked: a usage whose price does not fit 64 bits (only a broken upstream reports one) throws
/// `PricingError` instead of trapping.
public enum Pricing {
    /// How a call was billed beyond its tokens: batch share and inference geography.
    public struct Terms: Sendable, Hashable {
        /// The call went through the Message Batches API (the batch share applies).
        public var batch: Bool
        /// The call's `inference_geo` (`us`, `global`, …), nil when none applies.
        public var geo: String?

        /// Creates terms; the default is a synchronous call with no geo.
        public init(batch: Bool = false, geo: String? = nil) {
            self.batch = batch
            self.geo = geo
        }
    }

    /// The exact cost of `usage` on `model` at the price in force on `day`; `batch` applies the batch share.
    ///
    /// For estimates of the router's own making: a usage whose price overflows saturates at `Int64.max`
    /// nano-dollars. Upstream usage goes through `checkedCost`.
    public static func cost(of usage: TokenUsage, model: ModelSpec, on day: Day, batch: Bool = false) -> Money {
        cost(of: usage, price: model.price(on: day), batch: batch)
    }

    /// The exact cost of `usage` at `price`; `batch` applies the batch share (saturating, see above).
    public static func cost(of usage: TokenUsage, price: ModelPrice, batch: Bool = false) -> Money {
        (try? checkedCost(of: usage, price: price, terms: Terms(batch: batch))) ?? Money(nanoUSD: .max)
    }

    /// The exact cost of `usage` at `price` under `terms`.
    ///
    /// - Throws: `PricingError` when a count is negative or the price does not fit 64-bit nano-dollars.
    public static func checkedCost(of usage: TokenUsage, price: ModelPrice, terms: Terms = Terms())
        throws(PricingError) -> Money
    {
        guard usage.isNonNegative else { throw PricingError.negative(usage) }
        var pico: Int64 = 0
        let parts: [(Int64, Int64)] = [
            (usage.input, price.input.microUSD), (usage.output, price.output.microUSD),
            (usage.cacheWrite5m, price.cacheWrite5m.microUSD), (usage.cacheWrite1h, price.cacheWrite1h.microUSD),
            (usage.cacheRead, price.cacheRead.microUSD),
        ]
        for (tokens, microUSD) in parts {
            pico = try add(pico, try multiply(tokens, microUSD, usage), usage)
        }
        let percent = try multiply(terms.batch ? price.batchPercent : 100, price.geoPercent(for: terms.geo), usage)
        let scaled = try multiply(pico, percent, usage)
        let tokensNano = roundHalfUp(scaled, dividedBy: 10_000_000)
        let searchNano = roundHalfUp(
            try multiply(usage.webSearchRequests, price.webSearchPerThousand.nanoUSD, usage), dividedBy: 1000)
        return Money(nanoUSD: try add(tokensNano, searchNano, usage))
    }

    /// The web-search fee alone of `usage` at `price` (already part of `checkedCost`).
    public static func webSearchFee(of usage: TokenUsage, price: ModelPrice) -> Money {
        let (product, overflow) = usage.webSearchRequests.multipliedReportingOverflow(
            by: price.webSearchPerThousand.nanoUSD)
        return Money(nanoUSD: overflow ? .max : roundHalfUp(product, dividedBy: 1000))
    }

    /// The usage with every cached token counted as plain input: what the same prompt costs without caching.
    public static func uncached(_ usage: TokenUsage) -> TokenUsage {
        TokenUsage(input: usage.totalInput, output: usage.output, webSearchRequests: usage.webSearchRequests)
    }

    /// The cost, the baseline and the savings of one call, ready for a `UsageRecord`.
    public struct Breakdown: Sendable, Hashable {
        /// What the call cost.
        public var cost: Money
        /// What the application would have paid without the router: the baseline model, not batched, uncached
        /// unless the client marked the cache itself (then with the same cache use).
        public var baselineCost: Money
        /// Baseline minus the served model's unbatched cost (uncached unless the client did the caching).
        public var savedByRouting: Money
        /// What the router's cache breakpoints saved: the served model's uncached cost minus its cached cost
        /// (negative when a cache write did not pay off); 0 when the client placed breakpoints itself.
        public var savedByCaching: Money
        /// What the client's own cache breakpoints saved (not part of `baselineCost − cost`: the application would
        /// have had it without the router).
        public var savedByClientCache: Money
        /// The unbatched cost minus the batch cost.
        public var savedByBatching: Money
        /// The web-search fee included in `cost`.
        public var webSearchCost: Money
        /// The dated price that priced the call.
        public var priceVersion: String
    }

    /// Prices a call and splits `baseline − cost` into routing, caching and batching exactly.
    ///
    /// The three router savings always sum to `baselineCost − cost`: each is a difference of two priced rows.
    /// - Parameter clientCached: the request came with the client's own cache breakpoints, so the cache use is the
    ///   application's: the baseline keeps it, and its saving is `savedByClientCache`, not the router's.
    /// - Throws: `PricingError` for a usage that cannot be priced (see `checkedCost`).
    public static func breakdown(
        usage: TokenUsage, model: ModelSpec, baseline: ModelSpec, on day: Day, terms: Terms,
        clientCached: Bool = false
    ) throws(PricingError) -> Breakdown {
        let price = model.price(on: day)
        let unbatched = Terms(batch: false, geo: terms.geo)
        let actual = try checkedCost(of: usage, price: price, terms: terms)
        let cachedNoBatch = try checkedCost(of: usage, price: price, terms: unbatched)
        let plain = try checkedCost(of: uncached(usage), price: price, terms: unbatched)
        let baselinePrice = baseline.price(on: day)
        if clientCached {
            let baselineCost = try checkedCost(of: usage, price: baselinePrice, terms: unbatched)
            return Breakdown(
                cost: actual, baselineCost: baselineCost, savedByRouting: baselineCost - cachedNoBatch,
                savedByCaching: .zero, savedByClientCache: plain - cachedNoBatch,
                savedByBatching: cachedNoBatch - actual, webSearchCost: webSearchFee(of: usage, price: price),
                priceVersion: model.priceVersion(on: day))
        }
        let baselineCost = try checkedCost(of: uncached(usage), price: baselinePrice, terms: unbatched)
        return Breakdown(
            cost: actual, baselineCost: baselineCost, savedByRouting: baselineCost - plain,
            savedByCaching: plain - cachedNoBatch, savedByClientCache: .zero, savedByBatching: cachedNoBatch - actual,
            webSearchCost: webSearchFee(of: usage, price: price), priceVersion: model.priceVersion(on: day))
    }

    /// The same split for a synchronous or batch call without geo (kept for callers that bill neither).
    public static func breakdown(
        usage: TokenUsage, model: ModelSpec, baseline: ModelSpec, on day: Day, batch: Bool
    ) -> Breakdown {
        (try? breakdown(usage: usage, model: model, baseline: baseline, on: day, terms: Terms(batch: batch)))
            ?? Breakdown(
                cost: .zero, baselineCost: .zero, savedByRouting: .zero, savedByCaching: .zero,
                savedByClientCache: .zero, savedByBatching: .zero, webSearchCost: .zero,
                priceVersion: model.priceVersion(on: day))
    }

    /// Fills the cost, baseline, savings and price version of `record` from its usage, its mode (batch), its
    /// `inferenceGeo` and whose cache breakpoints it carried (`cacheBy`).
    ///
    /// - Throws: `PricingError` for a usage that cannot be priced; `record` is left unpriced then.
    public static func price(
        _ record: inout UsageRecord, model: ModelSpec, baseline: ModelSpec, on day: Day
    ) throws(PricingError) {
        let b = try breakdown(
            usage: record.usage, model: model, baseline: baseline, on: day,
            terms: Terms(batch: record.mode == .batch, geo: record.inferenceGeo),
            clientCached: record.cacheBy.clientPlaced)
        record.cost = b.cost
        record.baselineCost = b.baselineCost
        record.savedByRouting = b.savedByRouting
        record.savedByCaching = b.savedByCaching
        record.savedByClientCache = b.savedByClientCache
        record.savedByBatching = b.savedByBatching
        record.webSearchCost = b.webSearchCost
        record.priceVersion = b.priceVersion
    }

    static func roundHalfUp(_ value: Int64, dividedBy divisor: Int64) -> Int64 {
        // value ± divisor/2 cannot overflow for the divisors used here unless value is within divisor/2 of the
        // bound; step through the quotient and remainder instead.
        let q = value / divisor
        let r = value % divisor
        if value >= 0 { return r * 2 >= divisor ? q + 1 : q }
        return -r * 2 >= divisor ? q - 1 : q
    }

    private static func multiply(_ a: Int64, _ b: Int64, _ usage: TokenUsage) throws(PricingError) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw PricingError.overflow(usage) }
        return product
    }

    private static func add(_ a: Int64, _ b: Int64, _ usage: TokenUsage) throws(PricingError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw PricingError.overflow(usage) }
        return sum
    }
}

/// A usage the router cannot price: a negative count, or one whose price does not fit 64-bit nano-dollars.
public struct PricingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Code: String, Sendable, Hashable {
        /// The price of a count overflowed.
        case overflow
        /// A count was negative.
        case negative
    }

    /// What was wrong.
    public var code: Code
    /// The usage as reported.
    public var usage: TokenUsage

    static func overflow(_ usage: TokenUsage) -> PricingError { PricingError(code: .overflow, usage: usage) }
    static func negative(_ usage: TokenUsage) -> PricingError { PricingError(code: .negative, usage: usage) }

    /// The ledger's error type for a row whose usage could not be priced.
    public static let ledgerErrorType = "impossible_usage"

    public var description: String {
        "impossible usage (\(code.rawValue)): input \(usage.input), output \(usage.output), cache writes 5m "
            + "\(usage.cacheWrite5m) / 1h \(usage.cacheWrite1h), cache reads \(usage.cacheRead), web searches "
            + "\(usage.webSearchRequests)"
    }
}
