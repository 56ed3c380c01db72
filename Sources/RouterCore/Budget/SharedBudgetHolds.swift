/// Budget holds kept where every replica sees them (a database the replicas share), so that several replicas admit
/// against one budget: a hard limit is then passed by no more than one request's estimation error across all of them.
///
/// The service keeps its own `BudgetReservations` as well (for its figures); when a shared store is set, `admit` is
/// the check that decides. The store is a port: the PostgreSQL store implements it (`PostgresBudgetHolds`).
public protocol SharedBudgetHolds: Sendable {
    /// Atomically with every other replica's admissions of the same client: sums the client's committed spend and
    /// every replica's live holds, and reserves `hold` under `id` only if each limit in `limits` stays met.
    ///
    /// - Parameter followsReplica: true for a call in flight (its hold ends with this replica if it dies); false for
    ///   work that outlives the replica (a deferred task, a client's batch), which lasts until `release`.
    /// - Returns: the sums the decision was made on, and whether `hold` was reserved.
    /// - Throws: when the store cannot be reached (the caller falls back to its own reservations).
    func admit(
        _ id: String, hold: BudgetReservations.Hold, limits: SharedBudgetLimits, followsReplica: Bool,
        nowMillis: Int64
    ) async throws -> SharedBudgetTotals

    /// Makes the hold of `id` a deferred task's: `amount`, kept until released, whichever replica finishes the task.
    func keep(_ id: String, amount: Money)

    /// Ends the hold of `id` once everything this replica recorded so far is durable (so the work's cost is never
    /// counted as neither spent nor held).
    func release(_ id: String)
}

/// The hard limits one admission is checked against: the client's and its task type's, daily and monthly (nil: none).
public struct SharedBudgetLimits: Sendable, Hashable {
    public var clientDaily: Money?
    public var clientMonthly: Money?
    public var taskTypeDaily: Money?
    public var taskTypeMonthly: Money?

    /// The hard limits of `budget` (and of its budget for `taskType`) that apply to a request of that task type.
    public init(budget: BudgetConfig, taskType: String) {
        if budget.hardLimit { (clientDaily, clientMonthly) = (budget.daily, budget.monthly) }
        if let typeBudget = budget.taskTypes[taskType], typeBudget.hardLimit {
            (taskTypeDaily, taskTypeMonthly) = (typeBudget.daily, typeBudget.monthly)
        }
    }

    /// No hard limit applies: nothing to check, nothing to share.
    public var isEmpty: Bool { clientDaily == nil && clientMonthly == nil && taskTypeDaily == nil && taskTypeMonthly == nil }
}

/// What a shared admission found: committed spend and live holds of the client (and of the client on the task type),
/// today and this month, excluding the hold it was asked for; and whether it reserved that hold.
public struct SharedBudgetTotals: Sendable, Hashable {
    /// One scope's sums.
    public struct Sums: Sendable, Hashable {
        public var spentDay: Money
        public var spentMonth: Money
        public var heldDay: Money
        public var heldMonth: Money

        /// Sums.
        public init(spentDay: Money, spentMonth: Money, heldDay: Money, heldMonth: Money) {
            (self.spentDay, self.spentMonth, self.heldDay, self.heldMonth) = (spentDay, spentMonth, heldDay, heldMonth)
        }
    }

    /// Whether the hold was reserved.
    public var admitted: Bool
    /// The client's sums over every task type.
    public var client: Sums
    /// The client's sums on the request's task type.
    public var taskType: Sums

    /// Totals.
    public init(admitted: Bool, client: Sums, taskType: Sums) {
        (self.admitted, self.client, self.taskType) = (admitted, client, taskType)
    }
}
