public import RouterCore
import Synchronization

extension TaskQueue {
    /// One budget alert: a budget, period and level crossed (its `id` says which), the JSON body to POST, and where
    /// its delivery is.
    public struct BudgetAlert: Sendable, Hashable {
        /// Where an alert's delivery is.
        public enum State: String, Sendable, Hashable, CaseIterable {
            /// Not delivered yet; `nextAttemptMillis` says when to try.
            case pending
            /// A 2xx came back.
            case delivered
            /// Every attempt failed, or there is no address any more.
            case failed
        }

        /// `client/task_type-or--/period/period_start/level` (`BudgetCrossing.id`).
        public var id: String
        /// The client whose budget it is.
        public var client: String
        /// The task type of a task-type budget, empty for the client's own.
        public var taskType: String
        /// `daily` or `monthly`.
        public var period: String
        /// The period's first day, in days since the epoch.
        public var periodStartDay: Int64
        /// `soft` or `hard`.
        public var level: String
        /// When the crossing was first seen (milliseconds since the epoch).
        public var createdMillis: Int64
        /// The JSON body to POST (no secrets: names, amounts, times).
        public var body: String
        /// Where its delivery is.
        public var state: State = .pending
        /// Delivery attempts made.
        public var attempts: Int = 0
        /// When the next attempt is due (pending alerts only).
        public var nextAttemptMillis: Int64?
    }

    /// Stores `alert` unless one with its id exists (durable when this returns).
    /// - Returns: true when it is new: the crossing has not been alerted in this period before.
    public func insertBudgetAlert(_ alert: BudgetAlert) throws(LedgerError) -> Bool {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "INSERT OR IGNORE INTO budget_alerts (\(TaskRows.alertColumns)) VALUES (\(TaskRows.marks(11)))")
            statement.bind(all: [
                .text(alert.id), .text(alert.client), .text(alert.taskType), .text(alert.period),
                .integer(alert.periodStartDay), .text(alert.level), .integer(alert.createdMillis), .text(alert.body),
                .text(alert.state.rawValue), .integer(Int64(alert.attempts)), .value(alert.nextAttemptMillis),
            ])
            try statement.run()
            return database.changes > 0
        }
    }

    /// The ids of the alerts of periods starting on or after `fromDay` (days since the epoch): what was already
    /// alerted in the current periods.
    public func budgetAlertIDs(periodStartFrom fromDay: Int64) throws(LedgerError) -> Set<String> {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare("SELECT id FROM budget_alerts WHERE period_start >= ?")
            defer { statement.reset() }
            statement.bind(fromDay, at: 1)
            var ids: Set<String> = []
            while try statement.step() { ids.insert(statement.text(0)) }
            return ids
        }
    }

    /// Pending alerts due at `nowMillis`, oldest first (of one budget's crossings seen together, soft before hard).
    public func dueBudgetAlerts(nowMillis: Int64, limit: Int) throws(LedgerError) -> [BudgetAlert] {
        try selectAlerts(
            "WHERE state = 'pending' AND next_attempt <= ?"
                + " ORDER BY next_attempt, created, CASE level WHEN 'soft' THEN 0 ELSE 1 END, id LIMIT ?",
            [.integer(nowMillis), .integer(Int64(max(0, limit)))])
    }

    /// The alert with `id`, or nil.
    public func budgetAlert(id: String) throws(LedgerError) -> BudgetAlert? {
        try selectAlerts("WHERE id = ?", [.text(id)]).first
    }

    /// Records a delivery attempt's outcome.
    public func recordBudgetAlert(id: String, state: BudgetAlert.State, attempts: Int, nextMillis: Int64?)
        throws(LedgerError)
    {
        try update(
            "UPDATE budget_alerts SET state = ?, attempts = ?, next_attempt = ? WHERE id = ?",
            binding: [.text(state.rawValue), .integer(Int64(attempts)), .value(nextMillis), .text(id)])
    }

    private func selectAlerts(_ clause: String, _ parameters: [SQLValue]) throws(LedgerError) -> [BudgetAlert] {
        try database.withLock { database throws(LedgerError) in try TaskRows.alerts(clause, parameters, in: database) }
    }
}

extension TaskQueue.BudgetAlert {
    /// The alert of `crossing`, first seen at `createdMillis`: pending, due at once, posting `body`.
    public init(crossing: BudgetCrossing, body: String, createdMillis: Int64) {
        self.init(
            id: crossing.id, client: crossing.client, taskType: crossing.taskType ?? "",
            period: crossing.period.rawValue, periodStartDay: crossing.periodStart.daysSinceEpoch,
            level: crossing.level.rawValue, createdMillis: createdMillis, body: body, nextAttemptMillis: createdMillis)
    }
}
