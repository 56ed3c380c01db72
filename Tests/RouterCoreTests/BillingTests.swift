import RouterCore
import Testing

/// Web search, inference geo, checked arithmetic, client-cached baselines, readable limits, reservations, and
/// models outside the policy.
@Suite struct BillingTests {
    static let day = Day(iso: "2026-11-28")!
    static func price(geo: [String: Int64] = [:]) -> ModelPrice {
        ModelPrice(
            effectiveFrom: Day(iso: "2026-01-01")!, input: PerMillionPrice(usd: "3")!, output: PerMillionPrice(usd: "15")!,
            geoPercent: geo)
    }
    static func model(_ id: String, _ tier: Tier, input: String, output: String, geo: [String: Int64] = [:]) -> ModelSpec {
        ModelSpec(
            id: id, tier: tier, contextWindow: 1_000_000, maxOutputTokens: 128_000, minCacheableTokens: 1024,
            rateLimitBucket: "b",
            prices: [
                ModelPrice(
                    effectiveFrom: Day(iso: "2026-01-01")!, input: PerMillionPrice(usd: input)!,
                    output: PerMillionPrice(usd: output)!, geoPercent: geo)
            ])
    }

    /// 1000 in × $3 + 100 out × $15 = $0.0045; ×1.1 = $0.00495; two searches at $10/1000 = $0.02.
    @Test func geoMultipliesTokensAndWebSearchIsAFlatFeePerSearch() throws {
        let usage = TokenUsage(input: 1000, output: 100, webSearchRequests: 2)
        let p = Self.price(geo: ["us": 110])
        #expect(try Pricing.checkedCost(of: usage, price: p).nanoUSD == 4_500_000 + 20_000_000)
        #expect(
            try Pricing.checkedCost(of: usage, price: p, terms: .init(geo: "us")).nanoUSD == 4_950_000 + 20_000_000)
        #expect(try Pricing.checkedCost(of: usage, price: p, terms: .init(geo: "global")).nanoUSD == 24_500_000)
        // Batch halves the tokens, not the searches.
        #expect(
            try Pricing.checkedCost(of: usage, price: p, terms: .init(batch: true, geo: "us")).nanoUSD
                == 2_475_000 + 20_000_000)
        #expect(Pricing.webSearchFee(of: usage, price: p).nanoUSD == 20_000_000)
    }

    @Test(arguments: [
        TokenUsage(input: .max), TokenUsage(output: .max / 2), TokenUsage(cacheRead: .max - 1),
        TokenUsage(webSearchRequests: .max / 3), TokenUsage(input: -1),
    ])
    func anImpossibleUsageThrowsInsteadOfTrapping(usage: TokenUsage) {
        #expect(throws: PricingError.self) { try Pricing.checkedCost(of: usage, price: Self.price()) }
        // The estimate path saturates instead.
        #expect(Pricing.cost(of: usage, price: Self.price()).nanoUSD == .max)
    }

    @Test func aUsageWhoseCountsOnlyOverflowTogetherThrows() {
        // 2·10^12 × $3 and 2·10^12 × $3.75 per MTok each fit 64-bit pico-dollars; their sum does not.
        let usage = TokenUsage(input: 2_000_000_000_000, cacheWrite5m: 2_000_000_000_000)
        #expect(throws: PricingError.self) { try Pricing.checkedCost(of: usage, price: Self.price()) }
        #expect(TokenUsage(input: .max / 2, cacheWrite5m: .max / 2, cacheRead: .max / 2).totalInput == .max)
    }

    /// Haiku served a request that named Sonnet and carried the client's own breakpoints: the baseline is Sonnet
    /// with the same cache use, the caching is the client's, and the router's savings are routing alone.
    @Test func aClientsOwnCacheIsInTheBaselineAndNotCreditedToTheRouter() throws {
        let haiku = Self.model("h", .haiku, input: "1", output: "5")
        let sonnet = Self.model("s", .sonnet, input: "3", output: "15")
        let usage = TokenUsage(input: 100, output: 100, cacheWrite5m: 0, cacheRead: 10_000)
        let mine = try Pricing.breakdown(
            usage: usage, model: haiku, baseline: sonnet, on: Self.day, terms: .init(), clientCached: true)
        #expect(mine.savedByCaching == .zero)
        // 10,000 reads at $1 instead of $0.10 per MTok: $0.009 saved by the client's marks.
        #expect(mine.savedByClientCache.nanoUSD == 9_000_000)
        // Sonnet with the same reads: 100×3 + 100×15 + 10000×0.3 = $0.0048; Haiku: 100 + 500 + 1000 = $0.0016.
        #expect(mine.baselineCost.nanoUSD == 4_800_000)
        #expect(mine.cost.nanoUSD == 1_600_000)
        #expect(mine.savedByRouting + mine.savedByBatching == mine.baselineCost - mine.cost)
        let routers = try Pricing.breakdown(usage: usage, model: haiku, baseline: sonnet, on: Self.day, terms: .init())
        #expect(routers.savedByCaching.nanoUSD == 9_000_000)
        #expect(routers.savedByClientCache == .zero)
    }

    @Test(arguments: [("0.002", "0.002"), ("20", "20.00"), ("0.01", "0.01"), ("0.0125", "0.0125"), ("1.5", "1.50")])
    func limitsPrintWithTheDigitsTheyNeed(dollars: String, shown: String) {
        #expect(Money(dollars: dollars)!.readableDollars == shown)
    }

    // MARK: reservations

    static let budget = BudgetConfig(daily: Money(dollars: "0.01"), monthly: Money(dollars: "1"), hardLimit: true)
    static let now = Day(iso: "2026-11-28")!.startMillis + 3_600_000

    @Test func admissionReservesUntilReleasedAndRefusesWhatWouldPassTheLimit() throws {
        var holds = BudgetReservations()
        let spent = Money(dollars: "0.004")!
        let estimate = Money(dollars: "0.002")!
        for i in 0..<3 {
            try holds.admit(
                "r\(i)", client: "dev", taskType: "t", estimate: estimate, budget: Self.budget, nowMillis: Self.now,
                expiresAtMillis: nil
            ) { _ in (spent, spent) }
        }
        #expect(holds.reserved(client: "dev", on: Self.day).day == Money(dollars: "0.006"))
        do {
            try holds.admit(
                "r3", client: "dev", taskType: "t", estimate: estimate, budget: Self.budget, nowMillis: Self.now,
                expiresAtMillis: nil
            ) { _ in (spent, spent) }
            Issue.record("a fourth request passes the limit and must be refused")
        } catch {
            #expect(error.code == .budgetExhausted)
            #expect(error.message.contains("$0.01:"), "\(error.message)")
            #expect(error.message.contains("$0.006 reserved"), "\(error.message)")
            #expect(error.message.contains("$0.002"), "\(error.message)")
        }
        holds.release("r0")
        try holds.admit(
            "r3", client: "dev", taskType: "t", estimate: estimate, budget: Self.budget, nowMillis: Self.now,
            expiresAtMillis: nil
        ) { _ in (spent, spent) }
        #expect(holds.count == 3)
    }

    @Test func aTaskTypesBudgetIsCheckedWithItsOwnReservations() throws {
        var budget = Self.budget
        budget.daily = Money(dollars: "100")
        budget.taskTypes["arch"] = BudgetConfig(daily: Money(dollars: "0.003"), hardLimit: true)
        var holds = BudgetReservations()
        let estimate = Money(dollars: "0.002")!
        try holds.admit(
            "a", client: "dev", taskType: "arch", estimate: estimate, budget: budget, nowMillis: Self.now,
            expiresAtMillis: nil
        ) { _ in (.zero, .zero) }
        try holds.admit(
            "b", client: "dev", taskType: "chat", estimate: estimate, budget: budget, nowMillis: Self.now,
            expiresAtMillis: nil
        ) { _ in (.zero, .zero) }
        #expect(throws: RoutingError.self) {
            try holds.admit(
                "c", client: "dev", taskType: "arch", estimate: estimate, budget: budget, nowMillis: Self.now,
                expiresAtMillis: nil
            ) { _ in (.zero, .zero) }
        }
    }

    @Test func anExpiredInFlightHoldIsDroppedAndNoBudgetMeansNoHold() throws {
        var holds = BudgetReservations()
        try holds.admit(
            "lost", client: "dev", taskType: "t", estimate: Money(dollars: "0.009")!, budget: Self.budget,
            nowMillis: Self.now, expiresAtMillis: Self.now + 1000
        ) { _ in (.zero, .zero) }
        holds.purge(nowMillis: Self.now + 1000)
        #expect(holds.count == 0)
        try holds.admit(
            "free", client: "x", taskType: "t", estimate: Money(dollars: "5")!, budget: nil, nowMillis: Self.now,
            expiresAtMillis: nil
        ) { _ in (.zero, .zero) }
        #expect(holds.count == 0)
    }

    // MARK: models outside the policy

    @Test func anUnknownModelIsRefusedWithWhatIsServedOrServedByItsNearestTier() throws {
        var policy = Shipped.policy
        let features = RoutingFeatures(lastUserText: "Hello", requestedModel: "claude-opus-4-1")
        do {
            _ = try Router.route(features, client: Shipped.dev, policy: policy, day: Shipped.day)
            Issue.record("refused by default")
        } catch {
            #expect(error.code == .unknownModel)
            #expect(error.message.contains("claude-sonnet-4-5"), "\(error.message)")
            #expect(error.message.contains("claude-opus-4-6"), "\(error.message)")
        }
        policy.routing.unknownModels = .nearestTier
        let d = try Router.route(features, client: Shipped.dev, policy: policy, day: Shipped.day)
        #expect(d.model == "claude-opus-4-6")
        #expect(d.baselineModel == "claude-opus-4-6")
        let unnamed = try Router.route(
            RoutingFeatures(lastUserText: "Classify this review: great", requestedModel: "gpt-4o"), client: Shipped.dev,
            policy: policy, day: Shipped.day)
        #expect(unnamed.model == "claude-haiku-4-5", "a name with no tier is routed as auto")
    }

    @Test func theShippedPolicyServesSonnetAndOpus45ByTheirIdsAndDatedAliases() throws {
        for (name, id) in [
            ("claude-sonnet-4-5", "claude-sonnet-4-5"), ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
            ("claude-opus-4-5", "claude-opus-4-5"), ("claude-opus-4-5-20251101", "claude-opus-4-5"),
        ] {
            let d = try Router.route(
                RoutingFeatures(lastUserText: "Hello", requestedModel: name), client: Shipped.dev,
                policy: Shipped.policy, day: Shipped.day)
            #expect(d.model == id)
            #expect(d.baselineModel == id, "the requested model is the baseline")
        }
        let opus45 = try #require(Shipped.policy.model(named: "claude-opus-4-5"))
        #expect(opus45.price(on: Shipped.day).input.microUSD == 5_000_000)
        #expect(opus45.price(on: Shipped.day).output.microUSD == 25_000_000)
        #expect(opus45.price(on: Shipped.day).geoPercent(for: "us") == 100)
        #expect(try #require(Shipped.policy.model(named: "claude-opus-4-6")).price(on: Shipped.day).geoPercent(for: "us") == 110)
    }

    @Test func theBaselineOfAnAutoRequestIsThePolicysBaselineModel() throws {
        var policy = Shipped.policy
        policy.routing.baselineModel = "claude-haiku-4-5"
        let d = try Router.route(
            RoutingFeatures(lastUserText: "Review our microservices architecture"), client: Shipped.dev, policy: policy,
            day: Shipped.day)
        #expect(d.baselineModel == "claude-haiku-4-5")
    }
}
