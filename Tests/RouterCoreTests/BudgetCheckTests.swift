import RouterCore
import Testing

@Suite struct BudgetCheckTests {
    static let now: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z
    static let tomorrow: Int64 = 1_795_910_400_000
    static let nextMonth: Int64 = 1_796_083_200_000
    static let budget = BudgetConfig(
        daily: Money(dollars: "10"), monthly: Money(dollars: "100"), softLimitPercent: 80, softAction: .downgrade)

    static func check(_ budget: BudgetConfig?, today: String, month: String) -> BudgetStatus {
        BudgetCheck.evaluate(
            budget, spentToday: Money(dollars: today)!, spentThisMonth: Money(dollars: month)!, nowMillis: now)
    }

    @Test func aBillionDollarBudgetIsComparedWithoutOverflow() {
        // 10^18 nano-dollars: ×100 overflows 64 bits, which once trapped the process.
        let huge = BudgetConfig(daily: Money(dollars: "1000000000"), softLimitPercent: 80)
        #expect(Self.check(huge, today: "799999999.99", month: "0") == .ok)
        guard case .softLimit(_, .daily, _, _, _) = Self.check(huge, today: "800000000", month: "0") else {
            Issue.record("80 % of a billion dollars is past the soft limit")
            return
        }
    }

    @Test func underTheSoftLimitIsOK() {
        #expect(Self.check(Self.budget, today: "7.99", month: "50") == .ok)
        #expect(Self.check(nil, today: "1000", month: "1000") == .ok)
    }

    @Test func pastTheSoftLimitAppliesTheConfiguredActionUntilMidnight() {
        #expect(
            Self.check(Self.budget, today: "8", month: "50")
                == .softLimit(
                    action: .downgrade, period: .daily, spent: Money(dollars: "8")!, limit: Money(dollars: "10")!,
                    resetsAtMillis: Self.tomorrow))
        var deferring = Self.budget
        deferring.softAction = .defer
        guard case .softLimit(.defer, .monthly, _, _, Self.nextMonth) = Self.check(deferring, today: "1", month: "85")
        else {
            Issue.record("expected a monthly soft limit with defer")
            return
        }
    }

    @Test func atTheLimitRefusesUntilTheReset() {
        #expect(
            Self.check(Self.budget, today: "10", month: "50")
                == .hardLimit(
                    period: .daily, spent: Money(dollars: "10")!, limit: Money(dollars: "10")!,
                    resetsAtMillis: Self.tomorrow))
        #expect(
            Self.check(Self.budget, today: "1", month: "100.01")
                == .hardLimit(
                    period: .monthly, spent: Money(dollars: "100.01")!, limit: Money(dollars: "100")!,
                    resetsAtMillis: Self.nextMonth))
    }

    @Test func withoutAHardLimitOverspendIsOnlySoft() {
        var soft = Self.budget
        soft.hardLimit = false
        guard case .softLimit(.downgrade, .daily, _, _, _) = Self.check(soft, today: "12", month: "12") else {
            Issue.record("expected a soft limit")
            return
        }
    }
}
