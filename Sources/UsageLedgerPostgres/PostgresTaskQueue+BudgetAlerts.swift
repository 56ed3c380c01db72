import Foundation
import RouterCore
public import UsageLedger

/// Metrics and budget alerts.
extension PostgresTaskQueue {
    public func stateCounts() throws(LedgerError) -> TaskQueue.StateCounts {
        var counts = TaskQueue.StateCounts()
        for row in try session.query("SELECT state, COUNT(*) FROM batches GROUP BY state") {
            counts.batches[row.text(0)] = row.int(1)
        }
        for row in try session.query(
            "SELECT state, COUNT(*) FROM tasks WHERE state IN ('pending', 'submitted', 'running') GROUP BY state")
        {
            counts.unfinishedTasks[row.text(0)] = row.int(1)
        }
        return counts
    }

    public func insertBudgetAlert(_ alert: TaskQueue.BudgetAlert) throws(LedgerError) -> Bool {
        try session.execute(
            "INSERT INTO budget_alerts (\(TaskRows.alertColumns)) VALUES (\(TaskRows.marks(11))) ON CONFLICT (id) DO NOTHING",
            [
                .text(alert.id), .text(alert.client), .text(alert.taskType), .text(alert.period),
                .integer(alert.periodStartDay), .text(alert.level), .integer(alert.createdMillis), .text(alert.body),
                .text(alert.state.rawValue), .integer(Int64(alert.attempts)), .value(alert.nextAttemptMillis),
            ]) > 0
    }

    public func budgetAlertIDs(periodStartFrom fromDay: Int64) throws(LedgerError) -> Set<String> {
        Set(try session.query("SELECT id FROM budget_alerts WHERE period_start >= ?", [.integer(fromDay)]).map {
            $0.text(0)
        })
    }

    /// Claims the due alerts: their next attempt moves a lease ahead, so no other replica takes them while this one
    /// delivers; if this replica dies, they are due again when the lease has passed.
    public func dueBudgetAlerts(nowMillis: Int64, limit: Int) throws(LedgerError) -> [TaskQueue.BudgetAlert] {
        try session.transaction { () throws(LedgerError) in
            let rows = try session.query(
                """
                SELECT \(TaskRows.alertColumns) FROM budget_alerts WHERE state = 'pending' AND next_attempt <= ?
                ORDER BY next_attempt, created, CASE level WHEN 'soft' THEN 0 ELSE 1 END, id LIMIT ?
                FOR UPDATE SKIP LOCKED
                """, [.integer(nowMillis), .integer(Int64(max(0, limit)))])
            let alerts = rows.map { TaskRows.alert($0) }
            if !alerts.isEmpty {
                try session.execute(
                    "UPDATE budget_alerts SET next_attempt = ? WHERE id IN (\(TaskRows.marks(alerts.count)))",
                    [.integer(nowMillis + leaseMillis)] + alerts.map { .text($0.id) })
            }
            return alerts
        }
    }

    public func budgetAlert(id: String) throws(LedgerError) -> TaskQueue.BudgetAlert? {
        try TaskRows.alerts("WHERE id = ?", [.text(id)], in: session).first
    }

    public func recordBudgetAlert(
        id: String, state: TaskQueue.BudgetAlert.State, attempts: Int, nextMillis: Int64?
    ) throws(LedgerError) {
        try session.execute(
            "UPDATE budget_alerts SET state = ?, attempts = ?, next_attempt = ? WHERE id = ?",
            [.text(state.rawValue), .integer(Int64(attempts)), .value(nextMillis), .text(id)])
    }

    // MARK: - Helpers
}
