import RouterCore
import UsageLedger

extension RouterService {
    /// Rebuilds the budget reservations of the deferred tasks not yet finished (each task's meta keeps its amount),
    /// so a restart neither forgets queued work nor keeps a hold for work that finished before the crash.
    func restoreTaskHolds() {
        guard let taskStore, let tasks = try? taskStore.queue.unfinishedTasks() else { return }
        for task in tasks {
            let meta = TaskMeta(text: task.metaJSON)
            guard meta.reservedNano > 0 else { continue }
            holds.restore(
                meta.requestID.isEmpty ? task.id : meta.requestID,
                BudgetReservations.Hold(
                    client: task.client, taskType: task.taskType, amount: Money(nanoUSD: meta.reservedNano),
                    day: Day(epochMillis: task.createdMillis)))
        }
    }

    /// On a store shared by several replicas, another replica may finish (or a client cancel through another replica)
    /// a task this replica accepted or restored: its hold here would then never be released. Every
    /// `BudgetHolds.taskSyncIntervalMillis` this releases the task holds whose tasks are no longer unfinished in the
    /// store. The held ids are read before the store, and a task is in the store before its hold is kept, so a task
    /// that is still queued never loses its hold.
    func syncTaskHolds(nowMillis: Int64) async {
        guard let taskStore, holds.taskSyncDue(nowMillis: nowMillis) else { return }
        let held = holds.taskHoldIDs()
        guard !held.isEmpty,
            let unfinished = try? await taskStore.run({ queue throws(LedgerError) in try queue.unfinishedTasks() })
        else { return }
        let live = Set(unfinished.map { task in
            let meta = TaskMeta(text: task.metaJSON)
            return meta.requestID.isEmpty ? task.id : meta.requestID
        })
        for id in held where !live.contains(id) { holds.release(id) }
    }

    /// Reserves the estimated cost of a Message Batch a client submits through the pass-through (at batch price)
    /// under the router's batch id, checked against spend + everything reserved, atomically with other admissions:
    /// the one place such a batch meets the budget. The hold lasts until the batch's results are recorded
    /// (`releaseClientBatch`), since the API bills the batch whether or not anyone reads them. Holds live in memory:
    /// after a restart an unread batch holds nothing (docs/budgets.md).
    ///
    /// - Throws: 402 `budget_exceeded_error` when the batch would pass a hard limit (nothing stays reserved then).
    func holdClientBatch(_ id: String, client: ClientSpec, estimate: Money, nowMillis: Int64) async throws(RouterHTTPError) {
        do {
            try await holds.admit(
                id, client: client, taskType: "", estimate: estimate, nowMillis: nowMillis, deferred: true, spend: spend)
        } catch {
            throw Self.httpError(error)
        }
    }

    /// Ends the hold of a client batch (its results are in the spend totals, or it was never created).
    func releaseClientBatch(_ id: String) { holds.release(id) }
}
