import RouterCore
import Testing

@Suite struct PricingTests {
    static let day = Day(iso: "2026-11-28")!

    static func model(_ id: String, _ tier: Tier, input: Int64, output: Int64) -> ModelSpec {
        ModelSpec(
            id: id, tier: tier, contextWindow: 1_000_000, maxOutputTokens: 128_000, minCacheableTokens: 1024,
            rateLimitBucket: "b",
            prices: [
                ModelPrice(
                    effectiveFrom: Day(iso: "2026-01-01")!, input: PerMillionPrice(microUSD: input),
                    output: PerMillionPrice(microUSD: output))
            ])
    }
    static let sonnet = model("sonnet", .sonnet, input: 3_000_000, output: 15_000_000)
    static let opus = model("opus", .opus, input: 5_000_000, output: 25_000_000)

    @Test func cacheMultipliersDefaultToTheAPIs() {
        let p = Self.sonnet.prices[0]
        #expect(p.cacheWrite5m.microUSD == 3_750_000)
        #expect(p.cacheWrite1h.microUSD == 6_000_000)
        #expect(p.cacheRead.microUSD == 300_000)
        #expect(p.batchPercent == 50)
    }

    /// Hand-computed: 1000×$3 + 500×$15 + 2000×$3.75 + 1000×$6 + 10000×$0.30 per MTok = $0.027.
    @Test func pricesEveryTokenKind() {
        let usage = TokenUsage(input: 1000, output: 500, cacheWrite5m: 2000, cacheWrite1h: 1000, cacheRead: 10_000)
        #expect(Pricing.cost(of: usage, model: Self.sonnet, on: Self.day) == Money(nanoUSD: 27_000_000))
        #expect(Pricing.cost(of: usage, model: Self.sonnet, on: Self.day, batch: true) == Money(nanoUSD: 13_500_000))
    }

    static let singleKinds: [(TokenUsage, Int64)] = [
        (TokenUsage(cacheWrite5m: 1_000_000), 3_750_000_000),
        (TokenUsage(cacheWrite1h: 1_000_000), 6_000_000_000),
        (TokenUsage(cacheRead: 1_000_000), 300_000_000),
        (TokenUsage(cacheRead: 1), 300),
        (TokenUsage(output: 1), 15_000),
    ]

    @Test(arguments: singleKinds)
    func pricesEachKindAlone(usage: TokenUsage, nanoUSD: Int64) {
        #expect(Pricing.cost(of: usage, model: Self.sonnet, on: Self.day).nanoUSD == nanoUSD)
    }

    @Test func roundsHalfUpOncePerRow() {
        let odd = ModelPrice(
            effectiveFrom: Self.day, input: PerMillionPrice(microUSD: 1500), output: PerMillionPrice(microUSD: 1499))
        #expect(Pricing.cost(of: TokenUsage(input: 1), price: odd).nanoUSD == 2)  // 1.5 → 2
        #expect(Pricing.cost(of: TokenUsage(output: 1), price: odd).nanoUSD == 1)  // 1.499 → 1
        #expect(Pricing.cost(of: TokenUsage(input: 1, output: 1), price: odd).nanoUSD == 3)  // 2.999 → 3, not 2 + 1
        #expect(Pricing.cost(of: TokenUsage(output: 1), price: odd, batch: true).nanoUSD == 1)  // 0.7495 → 1
    }

    @Test func usesThePriceInForceOnTheDay() {
        let model = ModelSpec(
            id: "m", tier: .haiku, contextWindow: 1, maxOutputTokens: 1, minCacheableTokens: 0, rateLimitBucket: "b",
            prices: [
                ModelPrice(
                    effectiveFrom: Day(iso: "2026-06-01")!, input: PerMillionPrice(usd: "2")!,
                    output: PerMillionPrice(usd: "10")!),
                ModelPrice(
                    effectiveFrom: Day(iso: "2026-01-01")!, input: PerMillionPrice(usd: "1")!,
                    output: PerMillionPrice(usd: "5")!),
            ])
        #expect(
            Pricing.cost(of: TokenUsage(input: 1_000_000), model: model, on: Day(iso: "2026-05-31")!)
                == Money(dollars: "1"))
        #expect(
            Pricing.cost(of: TokenUsage(input: 1_000_000), model: model, on: Day(iso: "2026-06-01")!)
                == Money(dollars: "2"))
        #expect(model.priceVersion(on: Day(iso: "2026-07-01")!) == "m@2026-06-01")
    }

    /// Hand-computed: sonnet, 1000 input + 2000 5m writes + 10000 reads + 500 output, batched; baseline opus.
    @Test func splitsSavingsIntoRoutingCachingAndBatching() {
        let usage = TokenUsage(input: 1000, output: 500, cacheWrite5m: 2000, cacheRead: 10_000)
        let b = Pricing.breakdown(usage: usage, model: Self.sonnet, baseline: Self.opus, on: Self.day, batch: true)
        #expect(b.cost.nanoUSD == 10_500_000)
        #expect(b.baselineCost.nanoUSD == 77_500_000)  // 13000 × $5 + 500 × $25
        #expect(b.savedByRouting.nanoUSD == 31_000_000)  // 77.5 − (13000 × $3 + 500 × $15)
        #expect(b.savedByCaching.nanoUSD == 25_500_000)  // 46.5 − 21
        #expect(b.savedByBatching.nanoUSD == 10_500_000)
        #expect(b.savedByRouting + b.savedByCaching + b.savedByBatching == b.baselineCost - b.cost)
        #expect(b.priceVersion == "sonnet@2026-01-01")
    }

    @Test func fillsAUsageRecord() throws {
        var record = UsageRecord(
            timestampMillis: 0, requestID: "r", client: "c", taskType: "t", modelRequested: "auto",
            modelUsed: "sonnet", tier: "sonnet", mode: .sync, status: 200, usage: TokenUsage(input: 1000, output: 100))
        try Pricing.price(&record, model: Self.sonnet, baseline: Self.opus, on: Self.day)
        #expect(record.cost.nanoUSD == 4_500_000)
        #expect(record.baselineCost.nanoUSD == 7_500_000)
        #expect(record.savedByRouting.nanoUSD == 3_000_000)
        #expect(record.savedByCaching == .zero)
        #expect(record.savedByBatching == .zero)
        #expect(record.priceVersion == "sonnet@2026-01-01")
    }

    @Test(arguments: [("3", Int64(3_000_000)), ("0.30", 300_000), ("1.25", 1_250_000), ("0.000001", 1)])
    func parsesPricesExactly(text: String, micro: Int64) {
        #expect(PerMillionPrice(usd: text)?.microUSD == micro)
    }

    @Test func rejectsPricesFinerThanAMicroDollar() {
        #expect(PerMillionPrice(usd: "0.0000001") == nil)
        #expect(PerMillionPrice(usd: "abc") == nil)
    }
}
