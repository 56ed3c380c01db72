public import RouterCore

/// One client's (or one of its task types') spend against its budgets, for the report's budget section.
public struct BudgetUse: Sendable, Hashable {
    /// Where a budget line's limits come from.
    public enum Source: String, Sendable, Hashable {
        /// The policy's `clients.yaml`.
        case policy
        /// A `--budget-daily`/`--budget-monthly` flag (which wins over the policy for that limit).
        case flag
    }

    /// Where the line stands against its limits.
    public enum Status: String, Sendable, Hashable {
        /// Under the soft limit (or no soft limit is known).
        case ok
        /// Past the soft limit of a budget: the policy's soft action (downgrade or defer) applies.
        case soft
        /// At or past 100% of a budget: with a hard limit the service refuses the client's requests.
        case over
        /// No limit at all.
        case none = "-"
    }

    /// The client's name.
    public var client: String
    /// The task type of a task-type budget line (listed under its client's line), nil for the client's own line.
    public var taskType: String?
    /// The daily limit, if the policy sets one.
    public var dailyLimit: Money?
    /// The monthly limit, if the policy sets one.
    public var monthlyLimit: Money?
    /// Spent on the report's current UTC day.
    public var spentToday: Money
    /// Spent in the current UTC month.
    public var spentThisMonth: Money
    /// The soft limit in percent of each limit, when the policy gives one.
    public var softLimitPercent: Int64?
    /// Whether reaching a limit refuses requests (from the policy; false for flag-only lines).
    public var hardLimit: Bool
    /// Where the limits come from: `.flag` when any flag set one.
    public var source: Source

    /// Creates a budget line from limits and the running totals for `today`.
    public init(
        client: String, dailyLimit: Money?, monthlyLimit: Money?, totals: SpendTotals, today: UTCDay,
        softLimitPercent: Int64? = nil, hardLimit: Bool = false, source: Source = .flag, taskType: String? = nil
    ) {
        self.client = client
        self.taskType = taskType
        self.dailyLimit = dailyLimit
        self.monthlyLimit = monthlyLimit
        self.softLimitPercent = softLimitPercent
        self.hardLimit = hardLimit
        self.source = source
        (spentToday, spentThisMonth) = totals.spend(client: client, taskType: taskType, today: today)
    }

    /// The line's name in tables: `dev`, or `dev / architecture` for a task type's budget.
    public var label: String { taskType.map { "\(client) / \($0)" } ?? client }

    /// The budget lines of a report: one per client of `policy` with a budget, plus clients named only by flags;
    /// a flag's limit replaces the policy's for that client and period. Each client's task-type budgets follow its
    /// line, by task type name (flags never change them).
    ///
    /// - Parameters:
    ///   - policy: the policy in force (the service's `--policies`, or the embedded defaults); nil for flags only.
    ///   - daily: `--budget-daily` limits by client.
    ///   - monthly: `--budget-monthly` limits by client.
    ///   - client: only this client's line, when set.
    public static func lines(
        policy: Policy?, daily: [String: Money] = [:], monthly: [String: Money] = [:], client: String? = nil,
        totals: SpendTotals, today: UTCDay
    ) -> [BudgetUse] {
        var names = Set(daily.keys).union(monthly.keys)
        for spec in policy?.clients ?? []
        where spec.budget.map({ $0.daily != nil || $0.monthly != nil || !$0.taskTypes.isEmpty }) == true {
            names.insert(spec.name)
        }
        return names.filter { client == nil || $0 == client }.sorted().flatMap { name in
            let budget = policy?.client(named: name)?.budget
            let flagged = daily[name] != nil || monthly[name] != nil
            let own = BudgetUse(
                client: name, dailyLimit: daily[name] ?? budget?.daily, monthlyLimit: monthly[name] ?? budget?.monthly,
                totals: totals, today: today, softLimitPercent: budget?.softLimitPercent,
                hardLimit: budget?.hardLimit ?? false, source: flagged ? .flag : .policy)
            let perTaskType = (budget?.taskTypes ?? [:]).sorted { $0.key < $1.key }.map { taskType, typeBudget in
                BudgetUse(
                    client: name, dailyLimit: typeBudget.daily, monthlyLimit: typeBudget.monthly, totals: totals,
                    today: today, softLimitPercent: typeBudget.softLimitPercent, hardLimit: typeBudget.hardLimit,
                    source: .policy, taskType: taskType)
            }
            return [own] + perTaskType
        }
    }

    /// Where the spend stands: over a limit, past a soft limit, under them, or no limit at all.
    public var status: Status {
        let used = [
            Self.perMille(spentToday, of: dailyLimit), Self.perMille(spentThisMonth, of: monthlyLimit),
        ].compactMap { $0 }
        guard let highest = used.max() else { return dailyLimit == nil && monthlyLimit == nil ? .none : .over }
        if highest >= 1000 { return .over }
        if let soft = softLimitPercent, highest >= soft * 10 { return .soft }
        return .ok
    }

    /// Spend over limit in per-mille (1000 = the whole budget), rounded down; nil without a limit.
    public static func perMille(_ spent: Money, of limit: Money?) -> Int64? {
        guard let limit, limit.nanoUSD > 0 else { return nil }
        let (product, overflow) = spent.nanoUSD.multipliedReportingOverflow(by: 1000)
        // Only a display figure: past $9 million the ratio may come from floating point.
        return overflow ? Int64(Double(spent.nanoUSD) / Double(limit.nanoUSD) * 1000) : product / limit.nanoUSD
    }
}
