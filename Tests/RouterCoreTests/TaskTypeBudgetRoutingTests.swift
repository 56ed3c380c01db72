import ClaudeAPI
import Foundation
import RouterCore
import Testing

/// A task type's budget within a client's: applied once the request is classified, the tighter status winning.
@Suite struct TaskTypeBudgetRoutingTests {
    static let now: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z
    static let coding = RoutingFeatures(lastUserText: "Fix the bug in this function")

    /// `dev` with $20/day overall and $5/day on coding.
    static var client: ClientSpec {
        var dev = Shipped.dev
        dev.budget = BudgetConfig(
            daily: Money(dollars: "20"), monthly: Money(dollars: "300"), softLimitPercent: 80,
            taskTypes: ["coding": BudgetConfig(daily: Money(dollars: "5"), softLimitPercent: 80)])
        return dev
    }

    /// Routes `features` for `client` whose spend is `clientToday` overall and `typeToday` on each task type.
    static func route(
        _ features: RoutingFeatures = coding, clientToday: String, typeToday: String, client: ClientSpec = client
    ) throws(RoutingError) -> Decision {
        let clientStatus = BudgetCheck.evaluate(
            client.budget, spentToday: Money(dollars: clientToday)!, spentThisMonth: Money(dollars: clientToday)!,
            nowMillis: now)
        return try Router.route(
            features, client: client, policy: Shipped.oneTierPolicy, budget: clientStatus,
            taskTypeBudget: { taskType in
                BudgetCheck.evaluate(taskType: taskType, of: client.budget, nowMillis: now) { _ in
                    (Money(dollars: typeToday)!, Money(dollars: typeToday)!)
                }
            }, day: Shipped.day)
    }

    @Test func underEveryLimitNothingChanges() throws {
        let d = try Self.route(clientToday: "1", typeToday: "1")
        #expect(d.model == "claude-sonnet-4-6")
        #expect(d.budget == .ok)
        #expect(d.budgetTaskType == nil)
    }

    @Test func aTaskTypePastItsSoftLimitDowngradesWhileTheClientsBudgetIsFine() throws {
        let d = try Self.route(clientToday: "4", typeToday: "4")
        #expect(d.model == "claude-haiku-4-5")
        #expect(d.budgetTaskType == "coding")
        #expect(
            d.modelReason.contains("daily budget for task type 'coding' past its soft limit → downgraded to haiku"))
        guard case .object(let json) = d.json, case .object(let budget)? = json["budget"] else {
            Issue.record("no budget object in \(d.json)")
            return
        }
        #expect(budget["scope"] == .string("task_type"))
        #expect(budget["task_type"] == .string("coding"))
        #expect(budget["limit_usd"] == .string("5.000000000"))
    }

    @Test func aTaskTypeAtItsHardLimitIsRefusedWhileTheClientsBudgetIsFine() {
        do {
            _ = try Self.route(clientToday: "5", typeToday: "5")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .budgetExhausted)
            #expect(error.code.httpStatus == 402)
            #expect(
                error.message
                    == "client 'dev' has used its daily budget for task type 'coding' of $5.00; "
                    + "it resets at 2026-11-29T00:00:00Z")
        }
    }

    @Test func anotherTaskTypesBudgetDoesNotApply() throws {
        // Classification has no budget of its own: $5 spent "on each task type" only counts for coding.
        let d = try Self.route(.init(lastUserText: "Classify this"), clientToday: "5", typeToday: "5")
        #expect(d.classification.taskType == "classification")
        #expect(d.budget == .ok)
    }

    @Test func theSpendLookUpRunsOnlyForATaskTypeWithABudget() throws {
        var asked: [String] = []
        let status = BudgetCheck.evaluate(taskType: "classification", of: Self.client.budget, nowMillis: Self.now) {
            asked.append($0)
            return (.zero, .zero)
        }
        #expect(status == .ok)
        #expect(asked.isEmpty)
        _ = BudgetCheck.evaluate(taskType: "coding", of: Self.client.budget, nowMillis: Self.now) {
            asked.append($0)
            return (.zero, .zero)
        }
        #expect(asked == ["coding"])
    }

    @Test func theClientsSoftLimitStillDowngradesWhenTheTaskTypeIsFine() throws {
        let d = try Self.route(clientToday: "16", typeToday: "1")
        #expect(d.model == "claude-haiku-4-5")
        #expect(d.budgetTaskType == nil)
        #expect(d.modelReason.contains("daily budget past its soft limit → downgraded to haiku"))
    }

    @Test func theClientsHardLimitStillRefusesWhenTheTaskTypeIsFine() {
        do {
            _ = try Self.route(clientToday: "20", typeToday: "1")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .budgetExhausted)
            #expect(
                error.message == "client 'dev' has used its daily budget of $20.00; it resets at 2026-11-29T00:00:00Z")
        }
    }

    @Test func aHardLimitBeatsASoftOneWhicheverBudgetItIs() {
        // Client soft ($16 of $20), task type hard ($5 of $5): refused by the task type.
        #expect(throws: RoutingError.self) { try Self.route(clientToday: "16", typeToday: "5") }
        let soft = BudgetStatus.softLimit(
            action: .defer, period: .daily, spent: .zero, limit: .zero, resetsAtMillis: 1)
        let hard = BudgetStatus.hardLimit(period: .monthly, spent: .zero, limit: .zero, resetsAtMillis: 2)
        #expect(BudgetVerdict.tighter(client: hard, taskType: "t", soft) == BudgetVerdict(status: hard))
        #expect(BudgetVerdict.tighter(client: soft, taskType: "t", hard) == BudgetVerdict(status: hard, taskType: "t"))
        #expect(BudgetVerdict.tighter(client: soft, taskType: "t", .ok) == BudgetVerdict(status: soft))
        #expect(BudgetVerdict.tighter(client: .ok, taskType: "t", .ok) == BudgetVerdict(status: .ok))
    }

    @Test func ofTwoSoftLimitsTheTaskTypesWinsAndOfTwoHardOnesTheLaterReset() {
        let clientSoft = BudgetStatus.softLimit(
            action: .downgrade, period: .daily, spent: .zero, limit: .zero, resetsAtMillis: 1)
        let typeSoft = BudgetStatus.softLimit(
            action: .defer, period: .monthly, spent: .zero, limit: .zero, resetsAtMillis: 2)
        #expect(
            BudgetVerdict.tighter(client: clientSoft, taskType: "t", typeSoft)
                == BudgetVerdict(status: typeSoft, taskType: "t"))
        let day = BudgetStatus.hardLimit(period: .daily, spent: .zero, limit: .zero, resetsAtMillis: 1)
        let month = BudgetStatus.hardLimit(period: .monthly, spent: .zero, limit: .zero, resetsAtMillis: 2)
        #expect(BudgetVerdict.tighter(client: month, taskType: "t", day) == BudgetVerdict(status: month))
        #expect(BudgetVerdict.tighter(client: day, taskType: "t", month) == BudgetVerdict(status: month, taskType: "t"))
    }

    @Test func aTaskTypeBudgetWithDeferSuggestsABatchForDeferrableWork() throws {
        var client = Shipped.dev
        client.budget = BudgetConfig(
            taskTypes: ["classification": BudgetConfig(monthly: Money(dollars: "10"), softAction: .defer)])
        let d = try Self.route(.init(lastUserText: "Classify this"), clientToday: "0", typeToday: "9", client: client)
        #expect(d.budgetSuggestsDefer)
        #expect(d.budgetTaskType == "classification")
    }
}
