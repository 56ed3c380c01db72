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

    /// Reserves the estimated cost of a Message Batch a client submits through the pass-through (at batch price)
    /// under the router's batch id, checked against spend + everything reserved, atomically with other admissions:
    /// the one place such a batch meets the budget. The hold lasts until the batch's results are recorded
    /// (`releaseClientBatch`), since the API bills the batch whether or not anyone reads them. Holds live in memory:
    /// after a restart an unread batch holds nothing (docs/budgets.md).
    ///
    /// - Throws: 402 `budget_exceeded_error` when the batch would pass a hard limit (nothing stays reserved then).
    func holdClientBatch(_ id: String, client: ClientSpec, estimate: Money, nowMillis: Int64) throws(RouterHTTPError) {
        do {
            try holds.admit(
                id, client: client, taskType: "", estimate: estimate, nowMillis: nowMillis, deferred: true, spend: spend)
        } catch {
            throw Self.httpError(error)
        }
    }

    /// Ends the hold of a client batch (its results are in the spend totals, or it was never created).
    func releaseClientBatch(_ id: String) { holds.release(id) }
}
