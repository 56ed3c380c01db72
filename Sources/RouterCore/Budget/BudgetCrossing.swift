/// A budget past one of its alert levels in the current period: what a budget alert reports (pure: the caller
/// supplies spend and time, and remembers which crossings it has already sent).
public struct BudgetCrossing: Sendable, Hashable {
    /// Which threshold was crossed.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        /// The soft limit (`soft_limit_percent` of the limit): routing turns cheaper or deferrable work is batched.
        case soft
        /// 100% of the limit: with `hard_limit: true` requests are refused (402) until the period resets.
        case hard
    }

    /// The client whose budget it is.
    public var client: String
    /// The task type of a task-type budget; nil for the client's own budget.
    public var taskType: String?
    /// The daily or the monthly limit.
    public var period: BudgetStatus.Period
    /// The period's first day (the day itself, or the 1st of the month).
    public var periodStart: Day
    /// The threshold crossed.
    public var level: Level
    /// Spend in the period when the crossing was seen.
    public var spent: Money
    /// The period's limit.
    public var limit: Money
    /// The budget's soft limit, in percent.
    public var softLimitPercent: Int64
    /// What passing the soft limit does.
    public var softAction: BudgetConfig.SoftAction
    /// Whether reaching the limit refuses requests.
    public var hardLimit: Bool
    /// When the period ends (00:00 UTC of the next day, or of the 1st of next month).
    public var resetsAtMillis: Int64
    /// Whether a request was refused (402) for this budget: the hard level is reached when spend reaches the limit,
    /// or earlier when spend + reserved + a request's estimate would pass it and the request is refused.
    public var refused = false

    /// The crossing's identity: one alert per budget, period and level, whatever the spend when it was seen.
    /// `dev/-/daily/2026-12-05/soft`, `dev/architecture/monthly/2026-12-01/hard`.
    public var id: String {
        "\(client)/\(taskType ?? "-")/\(period.rawValue)/\(periodStart)/\(level.rawValue)"
    }

    /// Spend over limit in whole percent, rounded down.
    public var spentPercent: Int64 {
        guard limit.nanoUSD > 0 else { return 0 }
        let product = Int128(spent.nanoUSD) * 100 / Int128(limit.nanoUSD)
        return Int64(clamping: product)
    }

    /// The hard-level crossing of the budget that refused a request of `client` at `atMillis` (`taskType` nil: the
    /// client's own budget), with the spend `spend` reports; nil when the policy no longer has that limit.
    public static func refusal(
        client: ClientSpec, taskType: String?, period: BudgetStatus.Period, atMillis: Int64,
        spend: (_ client: String, _ taskType: String?) -> (day: Money, month: Money)
    ) -> BudgetCrossing? {
        guard let clientBudget = client.budget else { return nil }
        let found: BudgetConfig?
        if let taskType { found = clientBudget.taskTypes[taskType] } else { found = clientBudget }
        guard let config = found else { return nil }
        let day = Day(epochMillis: atMillis)
        let spent = spend(client.name, taskType)
        let (limit, amount, start, reset) =
            period == .daily
            ? (config.daily, spent.day, day, day.next) : (config.monthly, spent.month, day.firstOfMonth, day.firstOfNextMonth)
        guard let limit else { return nil }
        var crossing = BudgetCrossing(
            client: client.name, taskType: taskType, period: period, periodStart: start, level: .hard, spent: amount,
            limit: limit, softLimitPercent: config.softLimitPercent, softAction: config.softAction,
            hardLimit: config.hardLimit, resetsAtMillis: reset.startMillis)
        crossing.refused = true
        return crossing
    }

    /// Every level each budget of `clients` has reached in the periods containing `nowMillis`: the client's own
    /// budget, then its task types' by name; a budget past its limit yields both `soft` and `hard`.
    ///
    /// - Parameter spend: what a client has spent today and this month, on every task type (`nil`) or on one.
    public static func all(
        clients: [ClientSpec], nowMillis: Int64, spend: (_ client: String, _ taskType: String?) -> (day: Money, month: Money)
    ) -> [BudgetCrossing] {
        var found: [BudgetCrossing] = []
        let today = Day(epochMillis: nowMillis)
        for client in clients {
            guard let budget = client.budget else { continue }
            let budgets: [(String?, BudgetConfig)] =
                [(nil, budget)] + budget.taskTypes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            for (taskType, config) in budgets where config.daily != nil || config.monthly != nil {
                let spent = spend(client.name, taskType)
                let periods: [(BudgetStatus.Period, Money?, Money, Day, Day)] = [
                    (.daily, config.daily, spent.day, today, today.next),
                    (.monthly, config.monthly, spent.month, today.firstOfMonth, today.firstOfNextMonth),
                ]
                for (period, limit, amount, start, reset) in periods {
                    guard let limit, limit.nanoUSD > 0 else { continue }
                    var levels: [Level] = []
                    // spent/limit >= percent/100 in 128-bit integers, as BudgetCheck compares.
                    if Int128(amount.nanoUSD) * 100 >= Int128(limit.nanoUSD) * Int128(config.softLimitPercent) {
                        levels.append(.soft)
                    }
                    if amount >= limit { levels.append(.hard) }
                    for level in levels {
                        found.append(
                            BudgetCrossing(
                                client: client.name, taskType: taskType, period: period, periodStart: start,
                                level: level, spent: amount, limit: limit, softLimitPercent: config.softLimitPercent,
                                softAction: config.softAction, hardLimit: config.hardLimit,
                                resetsAtMillis: reset.startMillis))
                    }
                }
            }
        }
        return found
    }
}
