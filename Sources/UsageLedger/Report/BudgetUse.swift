public import RouterCore

/// One client's spend against its budgets, for the report's budget section.
public struct BudgetUse: Sendable, Hashable {
    /// The client's name.
    public var client: String
    /// The daily limit, if the policy sets one.
    public var dailyLimit: Money?
    /// The monthly limit, if the policy sets one.
    public var monthlyLimit: Money?
    /// Spent on the report's current UTC day.
    public var spentToday: Money
    /// Spent in the current UTC month.
    public var spentThisMonth: Money

    /// Creates a budget line from limits and the running totals for `today`.
    public init(client: String, dailyLimit: Money?, monthlyLimit: Money?, totals: SpendTotals, today: UTCDay) {
        self.client = client
        self.dailyLimit = dailyLimit
        self.monthlyLimit = monthlyLimit
        (spentToday, spentThisMonth) = totals.spend(client: client, today: today)
    }

    /// Spend over limit in per-mille (1000 = the whole budget), rounded down; nil without a limit.
    public static func perMille(_ spent: Money, of limit: Money?) -> Int64? {
        guard let limit, limit.nanoUSD > 0 else { return nil }
        let (product, overflow) = spent.nanoUSD.multipliedReportingOverflow(by: 1000)
        // Only a display figure: past $9 million the ratio may come from floating point.
        return overflow ? Int64(Double(spent.nanoUSD) / Double(limit.nanoUSD) * 1000) : product / limit.nanoUSD
    }
}
