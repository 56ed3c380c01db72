/// A client's (or one of its task types') spending limits: daily and monthly, a soft limit that changes routing,
/// a hard limit that refuses.
public struct BudgetConfig: Sendable, Hashable {
    /// What happens once spend passes the soft limit.
    public enum SoftAction: String, Sendable, Hashable, CaseIterable {
        /// Route one tier cheaper (never below the policy's floors).
        case downgrade
        /// Send deferrable work to the batch queue (half price).
        case `defer`
    }

    /// The output a request's reservation counts at admission (see `BudgetReservations`).
    public enum ReserveOutput: String, Sendable, Hashable, CaseIterable {
        /// The request's `max_tokens`: a hard limit is never passed by more than the input estimate's error.
        case maxTokens = "max_tokens"
        /// The task type's `expected_output_tokens` (capped by `max_tokens`): admits more, may overrun by the
        /// difference between expected and actual output.
        case expected
    }

    /// The most the client may spend per UTC day, or nil for no daily limit.
    public var daily: Money?
    /// The most the client may spend per UTC calendar month, or nil for no monthly limit.
    public var monthly: Money?
    /// The soft limit, in percent of each limit (e.g. 80).
    public var softLimitPercent: Int64
    /// What the soft limit does.
    public var softAction: SoftAction
    /// Whether reaching 100% refuses further requests until the budget resets.
    public var hardLimit: Bool
    /// Budgets of single task types within the client's, by task type name (each with its own limits, and the
    /// client's soft/hard settings unless it overrides them). Both the client's budget and a task type's apply;
    /// the tighter status wins.
    public var taskTypes: [String: BudgetConfig]
    /// The output a reservation counts (`reserve_output`, default `max_tokens`).
    public var reserveOutput: ReserveOutput

    /// Creates a budget.
    public init(
        daily: Money? = nil, monthly: Money? = nil, softLimitPercent: Int64 = 80,
        softAction: SoftAction = .downgrade, hardLimit: Bool = true,
        taskTypes: [String: BudgetConfig] = [:], reserveOutput: ReserveOutput = .maxTokens
    ) {
        self.daily = daily
        self.monthly = monthly
        self.softLimitPercent = softLimitPercent
        self.softAction = softAction
        self.hardLimit = hardLimit
        self.taskTypes = taskTypes
        self.reserveOutput = reserveOutput
    }
}
