import Foundation
public import RouterCore
public import UsageLedger

/// Grouped packing and synchronous runs.
extension PostgresTaskQueue {
    public func pendingGroups(deadlineNotBefore: Int64?) throws(LedgerError) -> [TaskQueue.PendingSummary] {
        try TaskRows.pendingGroups(deadlineNotBefore: deadlineNotBefore, in: session)
    }

    public func pendingTasks(limit: Int, headers: String, deadlineNotBefore: Int64?) throws(LedgerError)
        -> [DeferredTask]
    {
        try TaskRows.pendingTasks(limit: limit, headers: headers, deadlineNotBefore: deadlineNotBefore, in: session)
    }

    public func pendingTasks(deadlineBefore: Int64, limit: Int) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.pendingTasks(deadlineBefore: deadlineBefore, limit: limit, in: session)
    }

    public func startRun(taskID: String) throws(LedgerError) -> DeferredTask? {
        let started = try session.execute(
            """
            UPDATE tasks SET state = 'running', batch_id = NULL, custom_id = NULL, attempts = attempts + 1,
                updated = ?, owner = ? WHERE id = ? AND state = 'pending'
            """, [.integer(clock.nowMillis()), .text(replicaID), .text(taskID)])
        return started == 1 ? try task(id: taskID) : nil
    }

    public func finishRun(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?, costNano: Int64?)
        throws(LedgerError) -> Bool
    {
        guard state == .succeeded || state == .failed else {
            throw LedgerError(code: .invalidInput, message: "finishRun() stores succeeded or failed, not \(state)")
        }
        let now = clock.nowMillis()
        return try session.execute(
            """
            UPDATE tasks SET state = ?, result_json = ?, error = ?, cost_nano = ?, updated = ?,
                \(Self.callbackDueSQL)
            WHERE id = ? AND state = 'running'
            """,
            [
                .text(state.rawValue), .value(resultJSON), .value(error), .value(costNano), .integer(now),
                .integer(now), .text(taskID),
            ]) == 1
    }

    public func requeueRun(taskID: String, error: String?) throws(LedgerError) -> Bool {
        try session.execute(
            "UPDATE tasks SET state = 'pending', error = ?, updated = ? WHERE id = ? AND state = 'running'",
            [.value(error), .integer(clock.nowMillis()), .text(taskID)]) == 1
    }

    /// Puts back to pending the runs this replica started and no longer runs, and those of replicas whose lease
    /// expired; another live replica's runs are left alone.
    public func releaseRuns(keeping: Set<String>) throws(LedgerError) -> Int {
        try heartbeat()
        let now = clock.nowMillis()
        let kept = keeping.sorted()
        let notKept = kept.isEmpty ? "" : " AND id NOT IN (\(TaskRows.marks(kept.count)))"
        return try session.execute(
            "UPDATE tasks SET state = 'pending', updated = ?, owner = NULL WHERE state = 'running' AND \(Self.takeable)"
                + notKept, [.integer(now), .text(replicaID), .integer(now)] + kept.map { .text($0) })
    }

    public func failPending(taskID: String, error: String, usage: [UsageRecord]) throws(LedgerError) -> Bool {
        let now = clock.nowMillis()
        return try session.transaction(accounting: accounting, usage: { $0 ? usage : [] }) {
            () throws(LedgerError) -> Bool in
            let changed = try session.execute(
                """
                UPDATE tasks SET state = 'failed', error = ?, updated = ?, \(Self.callbackDueSQL)
                WHERE id = ? AND state = 'pending'
                """, [.text(error), .integer(now), .integer(now), .text(taskID)])
            guard changed == 1 else { return false }
            try PostgresUsageRows.insert(usage, session: session)
            return true
        }
    }
}
