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

extension BudgetStatus {
    /// How much the status restricts a request: 0 ok, 1 soft limit, 2 hard limit.
    public var severity: Int {
        switch self {
        case .ok: 0
        case .softLimit: 1
        case .hardLimit: 2
        }
    }

    /// The reset time of the limit the status refers to, nil when `.ok`.
    public var resetsAtMillis: Int64? {
        switch self {
        case .ok: nil
        case .softLimit(_, _, _, _, let resets), .hardLimit(_, _, _, let resets): resets
        }
    }
}
