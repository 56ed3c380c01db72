/// What a client's budget allows right now.
public enum BudgetStatus: Sendable, Hashable {
    /// Which limit a status refers to.
    public enum Period: String, Sendable, Hashable {
        case daily, monthly
    }

    /// Under every soft limit.
    case ok
    /// Past a soft limit: route cheaper or defer, as configured.
    case softLimit(action: BudgetConfig.SoftAction, period: Period, spent: Money, limit: Money, resetsAtMillis: Int64)
    /// At or past a hard limit: refuse until the period resets.
    case hardLimit(period: Period, spent: Money, limit: Money, resetsAtMillis: Int64)
}
