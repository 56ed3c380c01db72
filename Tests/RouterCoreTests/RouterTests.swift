import ClaudeAPI
import Foundation
import RouterCore
import Testing

@Suite struct RouterTests {
    static func route(
        _ f: RoutingFeatures, client: ClientSpec? = Shipped.dev, budget: BudgetStatus = .ok,
        policy: Policy = Shipped.oneTierPolicy
    ) throws(RoutingError) -> Decision {
        try Router.route(f, client: client, policy: policy, budget: budget, day: Shipped.day)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var features: RoutingFeatures
        var client: String
        var model: String
        var testDescription: String { name }
    }

    static let table: [Case] = [
        Case(
            name: "classification → haiku", features: .init(lastUserText: "Classify this review: great"), client: "dev",
            model: "claude-haiku-4-5"),
        Case(
            name: "coding → sonnet", features: .init(lastUserText: "Fix the bug in this function"), client: "dev",
            model: "claude-sonnet-4-6"),
        Case(
            name: "architecture → opus", features: .init(lastUserText: "Review our microservices architecture"),
            client: "dev", model: "claude-opus-4-6"),
        Case(
            name: "explicit id honoured within the client's models",
            features: .init(lastUserText: "Classify this", requestedModel: "claude-opus-4-6"), client: "dev",
            model: "claude-opus-4-6"),
        Case(
            name: "dated alias resolves",
            features: .init(lastUserText: "Classify this", requestedModel: "claude-sonnet-4-6-20260319"), client: "dev",
            model: "claude-sonnet-4-6"),
        Case(
            name: "explicit tier", features: .init(lastUserText: "Design a system", requestedModel: "haiku"),
            client: "dev", model: "claude-haiku-4-5"),
        Case(
            name: "opus task for a client without opus goes to the next tier down",
            features: .init(lastUserText: "Review our microservices architecture"), client: "batch-jobs",
            model: "claude-sonnet-4-6"),
        Case(
            name: "long input floor", features: .init(lastUserText: "Classify this", estimatedInputTokens: 150_000),
            client: "dev", model: "claude-sonnet-4-6"),
        Case(
            name: "documents floor", features: .init(lastUserText: "Classify this", hasDocuments: true), client: "dev",
            model: "claude-sonnet-4-6"),
        Case(
            name: "hint overrides the words",
            features: .init(lastUserText: "Classify this", taskTypeHint: "complex_reasoning"), client: "dev",
            model: "claude-opus-4-6"),
    ]

    @Test("routing table of the shipped policy", arguments: table)
    func routes(_ c: Case) throws {
        let d = try Self.route(c.features, client: Shipped.oneTierPolicy.client(named: c.client))
        #expect(d.model == c.model, "\(d.modelReason)")
    }

    @Test(arguments: ["claude-opus-4-6", "opus"])
    func anExplicitModelOrTierOutsideTheClientsTiersIsRefused(requested: String) {
        #expect(throws: RoutingError.self) {
            _ = try Self.route(
                .init(lastUserText: "Classify this", requestedModel: requested),
                client: Shipped.oneTierPolicy.client(named: "batch-jobs"))
        }
        do {
            _ = try Self.route(
                .init(lastUserText: "Classify this", requestedModel: requested),
                client: Shipped.oneTierPolicy.client(named: "batch-jobs"))
        } catch {
            #expect(error.code == .noAllowedModel)
            #expect(error.code.httpStatus == 403)
        }
    }

    @Test func theDecisionExplainsItself() throws {
        let d = try Self.route(.init(lastUserText: "Classify this review: great", maxTokens: 20))
        #expect(d.classification.reason.hasPrefix("rule 'classify' matched 'Classify'"))
        #expect(d.modelReason == "task type classification → haiku; claude-haiku-4-5 is haiku's default model")
        #expect(d.baselineModel == "claude-sonnet-4-6", "routing.yaml ships baseline_tier: sonnet")
        #expect(d.fallbackModels == [])
        #expect(d.priceVersion == "claude-haiku-4-5@2025-10-01")
    }

    @Test func estimatesCostFromInputAndTheTaskTypesTypicalOutput() throws {
        let d = try Self.route(.init(lastUserText: "Classify this", estimatedInputTokens: 1000, maxTokens: 20))
        #expect(d.estimatedUsage == TokenUsage(input: 1000, output: 20))  // classification expects 50, capped at 20
        #expect(d.estimatedCost.nanoUSD == 1000 * 1000 + 20 * 5000)  // $1 and $5 per MTok
        #expect(d.estimatedBaselineCost.nanoUSD == 1000 * 3000 + 20 * 15_000)  // sonnet, the shipped baseline
    }

    @Test func lowConfidenceGoesToTheSafeTier() throws {
        var policy = Shipped.oneTierPolicy
        policy.classifier.rules = []
        policy.statistical = nil
        policy.classifier.defaultTaskType = "classification"
        let d = try Self.route(.init(lastUserText: "hmm"), policy: policy)
        #expect(d.lowConfidence)
        #expect(d.model == "claude-sonnet-4-6")
        #expect(d.modelReason.contains("below the floor 60% → safe tier sonnet"))
    }

    @Test func aSoftBudgetLimitDowngradesButNotBelowAFloor() throws {
        let soft = BudgetStatus.softLimit(
            action: .downgrade, period: .daily, spent: Money(dollars: "17")!, limit: Money(dollars: "20")!,
            resetsAtMillis: 0)
        let coding = try Self.route(.init(lastUserText: "Fix the bug in this function"), budget: soft)
        #expect(coding.model == "claude-haiku-4-5")
        let withDocument = try Self.route(
            .init(lastUserText: "Fix the bug in this function", hasDocuments: true), budget: soft)
        #expect(withDocument.model == "claude-sonnet-4-6")
    }

    @Test func aSoftBudgetLimitWithDeferAsksForABatchOnlyForDeferrableWork() throws {
        let soft = BudgetStatus.softLimit(
            action: .defer, period: .monthly, spent: .zero, limit: .zero, resetsAtMillis: 0)
        #expect(try Self.route(.init(lastUserText: "Classify this"), budget: soft).budgetSuggestsDefer)
        #expect(try !Self.route(.init(lastUserText: "Fix the bug in this function"), budget: soft).budgetSuggestsDefer)
    }

    @Test func aHardBudgetLimitRefusesWithABudgetExceededError402() {
        let hard = BudgetStatus.hardLimit(
            period: .daily, spent: Money(dollars: "20")!, limit: Money(dollars: "20")!,
            resetsAtMillis: 1_795_910_400_000)
        do {
            _ = try Self.route(.init(lastUserText: "Classify this"), budget: hard)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .budgetExhausted)
            #expect(error.code.apiErrorType == "budget_exceeded_error")
            #expect(error.code.httpStatus == 402)
            #expect(error.message.contains("resets at 2026-11-29T00:00:00Z"))
        }
    }

    @Test func anUnknownModelIsNotFound() {
        do {
            _ = try Self.route(.init(lastUserText: "x", requestedModel: "claude-3-opus"))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownModel)
        }
    }

    @Test func aRequestNeverGoesToAModelItDoesNotFit() throws {
        let haikuOnly = ClientSpec(name: "h", keySHA256: "", allowedTiers: [.haiku])
        do {
            _ = try Self.route(.init(lastUserText: "Classify this", estimatedInputTokens: 300_000), client: haikuOnly)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .tooLarge)
        }
        // With a floor-free policy, a too-large haiku request moves up to a model whose window holds it.
        var policy = Shipped.oneTierPolicy
        policy.routing.floors = []
        let d = try Self.route(.init(lastUserText: "Classify this", estimatedInputTokens: 300_000), policy: policy)
        #expect(d.model == "claude-sonnet-4-6")
        #expect(d.modelReason.contains("the input does not fit claude-haiku-4-5"))
    }

    @Test func explicitModelRuleNeverIgnoresTheCallerButKeepsTheBaseline() throws {
        var policy = Shipped.oneTierPolicy
        policy.routing.explicitModel = .never
        let d = try Self.route(
            .init(lastUserText: "Classify this", requestedModel: "claude-sonnet-4-6"), policy: policy)
        #expect(d.model == "claude-haiku-4-5")
        #expect(d.baselineModel == "claude-sonnet-4-6")
    }

    @Test func explicitModelRuleAlwaysIgnoresClientLimits() throws {
        var policy = Shipped.oneTierPolicy
        policy.routing.explicitModel = .always
        let d = try Self.route(
            .init(lastUserText: "Classify this", requestedModel: "claude-opus-4-6"), client: Shipped.batchJobs,
            policy: policy)
        #expect(d.model == "claude-opus-4-6")
    }

    @Test func opusFallsBackToSonnet() throws {
        let d = try Self.route(.init(lastUserText: "Review our microservices architecture"))
        #expect(d.fallbackModels == ["claude-sonnet-4-6"])
    }
}
