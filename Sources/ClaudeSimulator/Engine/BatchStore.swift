import ClaudeAPI
import Synchronization

/// Message Batches: each batch's results are computed when it is created, and each request "finishes" at its
/// own simulated time, so status, counts, cancellation and expiry follow the clock without any background task.
///
/// Request k of n finishes at `created + processing × (k+1)/n`; a batch still running 24 h after creation
/// expires its unfinished requests; a cancel makes the unfinished ones `canceled` and the batch ends one
/// simulated second later. A final class around a `Mutex`: all routes share the store.
final class BatchStore: Sendable {
    /// One request of a batch and its precomputed outcome.
    struct Item: Sendable {
        var customID: String
        var finishesAt: Double
        /// The `result` object when it succeeds or errors; canceled and expired are decided by time.
        var result: JSONValue
    }

    struct Batch: Sendable {
        var id: String
        var createdAt: Double
        var items: [Item]
        var cancelInitiatedAt: Double?
        var forcedOutcomes: [String: String]
        var order: UInt64

        var expiresAt: Double { createdAt + 86_400 }

        /// When processing ends (all finished, canceled, or expired).
        var endsAt: Double {
            let allDone = items.map(\.finishesAt).max() ?? createdAt
            var end = min(allDone, expiresAt)
            if let cancel = cancelInitiatedAt { end = min(end, cancel + 1) }
            return end
        }

        func status(at now: Double) -> String {
            if now >= endsAt { return "ended" }
            return cancelInitiatedAt == nil ? "in_progress" : "canceling"
        }

        /// The final result type of an item (valid once the batch has ended).
        func outcome(_ item: Item) -> String {
            if let forced = forcedOutcomes[item.customID] { return forced }
            if let cancel = cancelInitiatedAt, item.finishesAt > cancel { return "canceled" }
            if item.finishesAt > expiresAt { return "expired" }
            return item.result["type"]?.stringValue ?? "errored"
        }
    }

    /// Forces an outcome on the next `times` batch requests whose `custom_id` starts with `prefix`, across batches:
    /// `{"prefix":"task_abc","outcome":"errored","times":1}` makes the first attempt of a task fail and the retry
    /// succeed. Installed with `POST /_sim/batch-faults`.
    struct FaultRule: Sendable, Hashable {
        var prefix: String
        var outcome: String
        var remaining: Int
    }

    private struct State {
        var batches: [String: Batch] = [:]
        var created = 0
        var rules: [FaultRule] = []
    }

    private let state = Mutex(State())

    init() {}

    /// Stores a new batch.
    func insert(_ batch: Batch) {
        state.withLock { state in
            var batch = batch
            state.created += 1
            batch.order = UInt64(state.created)
            state.batches[batch.id] = batch
        }
    }

    /// Adds a fault rule (applied in the order installed).
    func addRule(_ rule: FaultRule) { state.withLock { $0.rules.append(rule) } }

    /// The rules with uses left.
    func rules() -> [FaultRule] { state.withLock { $0.rules } }

    /// Removes every fault rule.
    func removeRules() { state.withLock { $0.rules = [] } }

    /// The outcomes the rules force on `customIDs` (in batch order), using up the rules' counts.
    func takeForcedOutcomes(_ customIDs: [String]) -> [String: String] {
        state.withLock { state in
            var forced: [String: String] = [:]
            for id in customIDs {
                guard let index = state.rules.firstIndex(where: { $0.remaining > 0 && id.hasPrefix($0.prefix) })
                else { continue }
                forced[id] = state.rules[index].outcome
                state.rules[index].remaining -= 1
            }
            state.rules.removeAll { $0.remaining <= 0 }
            return forced
        }
    }

    /// The batch with `id`.
    func batch(_ id: String) -> Batch? { state.withLock { $0.batches[id] } }

    /// All batches, newest first.
    func all() -> [Batch] {
        state.withLock { $0.batches.values.sorted { $0.order > $1.order } }
    }

    /// Starts cancelling: returns the batch, or nil when unknown.
    func cancel(_ id: String, at now: Double) -> Batch? {
        state.withLock { state in
            guard var batch = state.batches[id] else { return nil }
            if batch.cancelInitiatedAt == nil, batch.status(at: now) == "in_progress" {
                batch.cancelInitiatedAt = now
                state.batches[id] = batch
            }
            return batch
        }
    }

    /// Deletes an ended batch. Returns false when it is unknown, throws when still processing.
    func delete(_ id: String, at now: Double) throws(SimulatorError) -> Bool {
        try state.withLock { (state: inout State) throws(SimulatorError) -> Bool in
            guard let batch = state.batches[id] else { return false }
            guard batch.status(at: now) == "ended" else {
                throw .invalidRequest("Message Batch \(id) cannot be deleted while it is still processing. Cancel it first.")
            }
            state.batches[id] = nil
            return true
        }
    }

    /// Forgets all batches.
    func removeAll() { state.withLock { $0 = State() } }
}
