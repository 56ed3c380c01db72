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

    /// Reserves the estimated cost of the items of a batch a client submits, each at the batch price under its own
    /// id, all or nothing: for a batch path that accepts work now and learns its cost later.
    ///
    /// Each item's hold lasts until `settleBatchItem(id:)`, called once the item's row is recorded (or the item
    /// will never run). Like a deferred task's, the amount should be stored with the item, and passed back to
    /// `restoreBatchItem` at start, so a crash leaves holds for unfinished items only.
    ///
    /// - Throws: 402 `budget_exceeded_error` when the items would pass a hard limit (nothing stays reserved then).
    func reserveBatchItems(_ items: [(id: String, call: RoutedCall)]) throws(RouterHTTPError) -> [String: Money] {
        var reserved: [String: Money] = [:]
        for item in items {
            let estimate = reservationEstimate(item.call, batch: true)
            do {
                try holds.admit(
                    item.id, client: item.call.client, taskType: item.call.decision.classification.taskType,
                    estimate: estimate, nowMillis: item.call.arrivalMillis, deferred: true, spend: spend)
            } catch {
                for id in reserved.keys { holds.release(id) }
                throw Self.httpError(error)
            }
            reserved[item.id] = estimate
        }
        return reserved
    }

    /// Ends the hold of a batch item reserved by `reserveBatchItems`.
    func settleBatchItem(id: String) { holds.release(id) }

    /// Reinstates the hold of a batch item still unfinished at start (its stored amount and creation time).
    func restoreBatchItem(id: String, client: String, taskType: String, amount: Money, createdMillis: Int64) {
        holds.restore(
            id, BudgetReservations.Hold(client: client, taskType: taskType, amount: amount, day: Day(epochMillis: createdMillis)))
    }
}
