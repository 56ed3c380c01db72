/// Decides what a client's budget allows, given what it has spent (pure: the caller supplies spend and time).
public enum BudgetCheck {
    /// Evaluates `budget` against the spend of the current UTC day and month at `nowMillis`.
    ///
    /// A hard limit (spend ≥ limit, when `hardLimit` is on) wins over a soft one; of two limits of the same kind the
    /// daily one is reported, because it resets first. Resets are 00:00 UTC of the next day / of the 1st of next month.
    public static func evaluate(
        _ budget: BudgetConfig?, spentToday: Money, spentThisMonth: Money, nowMillis: Int64
    ) -> BudgetStatus {
        guard let budget else { return .ok }
        let today = Day(epochMillis: nowMillis)
        let periods: [(BudgetStatus.Period, Money?, Money, Int64)] = [
            (.daily, budget.daily, spentToday, today.next.startMillis),
            (.monthly, budget.monthly, spentThisMonth, today.firstOfNextMonth.startMillis),
        ]
        if budget.hardLimit {
            for (period, limit, spent, reset) in periods {
                if let limit, spent >= limit {
                    return .hardLimit(period: period, spent: spent, limit: limit, resetsAtMillis: reset)
                }
            }
        }
        for (period, limit, spent, reset) in periods {
            guard let limit else { continue }
            // spent/limit >= percent/100, compared in integers: 128-bit products, since a limit of a billion
            // dollars is 10^18 nano-dollars and ×100 no longer fits in 64 bits.
            if !isLess(spent.nanoUSD.multipliedFullWidth(by: 100), limit.nanoUSD.multipliedFullWidth(by: budget.softLimitPercent)) {
                return .softLimit(
                    action: budget.softAction, period: period, spent: spent, limit: limit, resetsAtMillis: reset)
            }
        }
        return .ok
    }

    /// Evaluates the budget of `taskType` within `budget` (a client's), `.ok` when the client has none for it.
    ///
    /// - Parameter spend: what the client has spent on `taskType` today and this month; called only when the task
    ///   type has a budget, so the caller's look-up is skipped for every other request.
    public static func evaluate(
        taskType: String, of budget: BudgetConfig?, nowMillis: Int64, spend: (String) -> (day: Money, month: Money)
    ) -> BudgetStatus {
        guard let typeBudget = budget?.taskTypes[taskType] else { return .ok }
        let spent = spend(taskType)
        return evaluate(typeBudget, spentToday: spent.day, spentThisMonth: spent.month, nowMillis: nowMillis)
    }

    /// Whether one 128-bit product is less than another (high words signed, low words unsigned).
    static func isLess(_ a: (high: Int64, low: UInt64), _ b: (high: Int64, low: UInt64)) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }
}
