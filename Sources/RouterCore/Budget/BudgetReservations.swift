/// Money set aside for work a client's budget has admitted but not yet paid for: calls in flight, deferred tasks
/// waiting for their batch. Pure bookkeeping; the service keeps one behind a lock.
///
/// Admission is one step (`admit`): the client's spend, plus what is reserved, plus this request's estimate, must
/// stay within every hard limit that applies (the client's and its task type's); if so the estimate is reserved
/// under `id` until `release(id)`, which the service calls once the actual cost is in the spend totals (the row is
/// recorded), so at no moment is the work counted as neither. A hold counts against the day and month it was made.
public struct BudgetReservations: Sendable {
    /// One admitted piece of work.
    public struct Hold: Sendable, Hashable {
        public var client: String
        public var taskType: String
        public var amount: Money
        /// The UTC day the hold was made (its budget period).
        public var day: Day
        /// When an in-flight hold is dropped even if never released (a call cannot outlive it); nil for a
        /// deferred task's hold, which lasts until the task finishes.
        public var expiresAtMillis: Int64?

        /// Creates a hold.
        public init(client: String, taskType: String, amount: Money, day: Day, expiresAtMillis: Int64? = nil) {
            self.client = client
            self.taskType = taskType
            self.amount = amount
            self.day = day
            self.expiresAtMillis = expiresAtMillis
        }
    }

    struct Key: Hashable {
        var client: String
        var taskType: String?
        /// A day number for daily sums, the first day of the month for monthly ones.
        var period: Int64
        var monthly: Bool
    }

    /// Which budget refused an admission: the client's own (`taskType` nil) or a task type's, and which period.
    public struct Refusal: Sendable, Hashable {
        /// The client.
        public var client: String
        /// The task type of a task-type budget; nil for the client's own.
        public var taskType: String?
        /// The limit that would have been passed.
        public var period: BudgetStatus.Period
    }

    private(set) var holds: [String: Hold] = [:]
    private var sums: [Key: Money] = [:]
    /// The budget that refused the last admission that failed (for budget alerts); nil before any.
    public private(set) var lastRefusal: Refusal?

    /// No holds.
    public init() {}

    /// The number of holds.
    public var count: Int { holds.count }

    /// The hold under `id`, if any.
    public func hold(_ id: String) -> Hold? { holds[id] }

    /// What is reserved for `client` (or `client` on `taskType`) in `day` and in `day`'s month.
    public func reserved(client: String, taskType: String? = nil, on day: Day) -> (day: Money, month: Money) {
        (
            sums[Key(client: client, taskType: taskType, period: day.daysSinceEpoch, monthly: false)] ?? .zero,
            sums[Key(client: client, taskType: taskType, period: day.firstOfMonth.daysSinceEpoch, monthly: true)]
                ?? .zero
        )
    }

    /// Reserves `hold` under `id` without a check (a deferred task re-read at start, already admitted once).
    /// A second hold under the same id replaces the first.
    public mutating func reserve(_ id: String, _ hold: Hold) {
        release(id)
        holds[id] = hold
        for key in keys(of: hold) { sums[key, default: .zero] += hold.amount }
    }

    /// Releases the hold under `id` (nothing when there is none); returns it.
    @discardableResult
    public mutating func release(_ id: String) -> Hold? {
        guard let hold = holds.removeValue(forKey: id) else { return nil }
        for key in keys(of: hold) {
            let left = (sums[key] ?? .zero) - hold.amount
            sums[key] = left.nanoUSD <= 0 ? nil : left
        }
        return hold
    }

    /// Drops the in-flight holds that expired at `nowMillis` (a lost release cannot block a budget for good).
    public mutating func purge(nowMillis: Int64) {
        for (id, hold) in holds where (hold.expiresAtMillis.map { $0 <= nowMillis } ?? false) { release(id) }
    }

    /// Admits and reserves `estimate` under `id` when the client's hard limits allow it, else refuses.
    ///
    /// - Parameters:
    ///   - budget: the client's budget (nil: no budget, nothing is reserved).
    ///   - spend: the recorded spend of the client (`nil`) or of the client on a task type, today and this month.
    /// - Throws: `RoutingError.budgetExhausted` (402) naming the limit, what is spent, reserved and estimated.
    public mutating func admit(
        _ id: String, client: String, taskType: String, estimate: Money, budget: BudgetConfig?, nowMillis: Int64,
        expiresAtMillis: Int64?, spend: (String?) -> (day: Money, month: Money)
    ) throws(RoutingError) {
        guard let budget else { return }
        purge(nowMillis: nowMillis)
        let day = Day(epochMillis: nowMillis)
        var scopes: [(BudgetConfig, String?)] = [(budget, nil)]
        if let typeBudget = budget.taskTypes[taskType] { scopes.append((typeBudget, taskType)) }
        for (scopeBudget, scope) in scopes {
            if let (period, error) = check(
                scopeBudget, scope: scope, client: client, estimate: estimate, day: day, spend: spend)
            {
                lastRefusal = Refusal(client: client, taskType: scope, period: period)
                throw error
            }
        }
        reserve(
            id, Hold(client: client, taskType: taskType, amount: estimate, day: day, expiresAtMillis: expiresAtMillis))
    }

    /// The period whose hard limit `estimate` would pass, and the 402 to answer; nil when it fits.
    private func check(
        _ budget: BudgetConfig, scope taskType: String?, client: String, estimate: Money, day: Day,
        spend: (String?) -> (day: Money, month: Money)
    ) -> (BudgetStatus.Period, RoutingError)? {
        guard budget.hardLimit else { return nil }
        return Self.refusal(
            budget, scope: taskType, client: client, estimate: estimate, day: day, spent: spend(taskType),
            held: reserved(client: client, taskType: taskType, on: day))
    }

    /// The refusal a shared admission (`SharedBudgetHolds`) answers when it did not reserve: the first scope and period
    /// whose hard limit spend + held + `estimate` passes, worded as a local refusal is. Nil when none does.
    public static func refusal(
        _ budget: BudgetConfig, client: String, taskType: String, estimate: Money, day: Day, totals: SharedBudgetTotals
    ) -> (Refusal, RoutingError)? {
        var scopes: [(BudgetConfig, String?, SharedBudgetTotals.Sums)] = [(budget, nil, totals.client)]
        if let typeBudget = budget.taskTypes[taskType] { scopes.append((typeBudget, taskType, totals.taskType)) }
        for (scopeBudget, scope, sums) in scopes where scopeBudget.hardLimit {
            if let (period, error) = refusal(
                scopeBudget, scope: scope, client: client, estimate: estimate, day: day,
                spent: (sums.spentDay, sums.spentMonth), held: (sums.heldDay, sums.heldMonth))
            {
                return (Refusal(client: client, taskType: scope, period: period), error)
            }
        }
        return nil
    }

    private static func refusal(
        _ budget: BudgetConfig, scope taskType: String?, client: String, estimate: Money, day: Day,
        spent: (day: Money, month: Money), held: (day: Money, month: Money)
    ) -> (BudgetStatus.Period, RoutingError)? {
        let periods: [(BudgetStatus.Period, Money?, Money, Money, Day)] = [
            (.daily, budget.daily, spent.day, held.day, day.next),
            (.monthly, budget.monthly, spent.month, held.month, day.firstOfNextMonth),
        ]
        for (period, limit, spent, held, reset) in periods {
            guard let limit else { continue }
            // In 128 bits: three amounts each below 2^63 cannot overflow their sum there.
            let total = Int128(spent.nanoUSD) + Int128(held.nanoUSD) + Int128(estimate.nanoUSD)
            guard total > Int128(limit.nanoUSD) else { continue }
            let whose = "\(period.rawValue) budget" + (taskType.map { " for task type '\($0)'" } ?? "")
            return (
                period,
                RoutingError(
                    .budgetExhausted,
                    "client '\(client)' would pass its \(whose) of $\(limit.readableDollars): "
                        + "$\(spent.readableDollars) spent, $\(held.readableDollars) reserved for work in flight, this "
                        + "request estimated at $\(estimate.readableDollars); it resets at \(reset)T00:00:00Z")
            )
        }
        return nil
    }

    private func keys(of hold: Hold) -> [Key] {
        let day = hold.day.daysSinceEpoch
        let month = hold.day.firstOfMonth.daysSinceEpoch
        return [
            Key(client: hold.client, taskType: nil, period: day, monthly: false),
            Key(client: hold.client, taskType: nil, period: month, monthly: true),
            Key(client: hold.client, taskType: hold.taskType, period: day, monthly: false),
            Key(client: hold.client, taskType: hold.taskType, period: month, monthly: true),
        ]
    }
}

extension Day {
    /// The first day of this day's month.
    public var firstOfMonth: Day {
        let (y, m, _) = components
        return Day(year: y, month: m, day: 1) ?? self
    }
}
