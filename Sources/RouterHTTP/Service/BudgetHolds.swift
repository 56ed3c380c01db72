import RouterCore
import Synchronization

/// The service's budget reservations: `BudgetReservations` behind a lock (see there for the bookkeeping).
///
/// Holds live in memory. A call in flight holds its estimate from admission until its ledger row is recorded (or
/// for at most `inFlightLimitMillis`, so a lost release cannot block a budget); a crash loses them with the calls.
/// A deferred task's hold is keyed by its request id and lasts until the task's final `.request` row is committed;
/// at start the service rebuilds those holds from the unfinished tasks in the store (each task's meta keeps its
/// reserved amount), so after a crash only work that is still pending is reserved.
///
/// With a shared store (`share(with:)`, PostgreSQL), admissions of clients with a hard limit are decided there, against
/// every replica's spend and holds; the holds here then mirror this replica's for its figures and releases.
final class BudgetHolds: Sendable {
    /// The longest an in-flight hold lasts without a release: longer than any upstream call may take.
    static let inFlightLimitMillis: Int64 = 3_600_000

    private let state = Mutex(BudgetReservations())
    /// Budgets that refused an admission since the last `takeRefusals`, with when (for the hard-level budget alert:
    /// a client can be refused before its recorded spend reaches the limit). Keyed by budget and period, so it holds
    /// at most one entry per budget and period of the policy.
    private let refusals = Mutex<[BudgetReservations.Refusal: Int64]>([:])
    /// The ids of the holds of deferred tasks (kept or restored), and when they were last synced with a shared store.
    private let tasks = Mutex<(ids: Set<String>, lastSyncMillis: Int64)>(([], .min))
    /// How often the task holds are synced with a store shared by several replicas.
    static let taskSyncIntervalMillis: Int64 = 10_000

    /// Where admissions are decided when several replicas share a store; nil: here only.
    private let shared = Mutex<(any SharedBudgetHolds)?>(nil)

    init() {}

    /// Decides admissions in `store` from now on (several replicas on one database).
    func share(with store: any SharedBudgetHolds) { shared.withLock { $0 = store } }

    /// Admits `estimate` for `id` against `client`'s budget (spend read from `spend` under the lock, so two
    /// concurrent admissions never both take the last of a budget), reserving it.
    ///
    /// With a shared store, a hard limit is checked there (every replica's committed spend and live holds); if the
    /// store cannot be reached, here (this replica's holds only).
    ///
    /// - Throws: 402 `budget_exceeded_error` when spend + reserved + estimate would pass a hard limit.
    func admit(
        _ id: String, client: ClientSpec, taskType: String, estimate: Money, nowMillis: Int64, deferred: Bool,
        spend: any SpendSource
    ) async throws(RoutingError) {
        guard let budget = client.budget else { return }
        let expires = deferred ? nil : nowMillis + Self.inFlightLimitMillis
        let limits = SharedBudgetLimits(budget: budget, taskType: taskType)
        if let store = shared.withLock({ $0 }), !limits.isEmpty {
            let hold = BudgetReservations.Hold(
                client: client.name, taskType: taskType, amount: estimate, day: Day(epochMillis: nowMillis),
                expiresAtMillis: expires)
            if let totals = try? await store.admit(
                id, hold: hold, limits: limits, followsReplica: !deferred, nowMillis: nowMillis)
            {
                if totals.admitted {
                    state.withLock { $0.reserve(id, hold) }
                    return
                }
                if let (refusal, error) = BudgetReservations.refusal(
                    budget, client: client.name, taskType: taskType, estimate: estimate, day: hold.day, totals: totals)
                {
                    refusals.withLock { $0[refusal] = nowMillis }
                    throw error
                }
            }
        }
        let result: Result<Void, RoutingError> = state.withLock { holds in
            do throws(RoutingError) {
                try holds.admit(
                    id, client: client.name, taskType: taskType, estimate: estimate, budget: client.budget,
                    nowMillis: nowMillis, expiresAtMillis: expires
                ) { spend.spend(client: client.name, taskType: $0) }
                return .success(())
            } catch {
                if let refusal = holds.lastRefusal {
                    refusals.withLock { $0[refusal] = nowMillis }
                }
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The budgets that refused admissions since the last call (and when, the latest), then forgets them.
    func takeRefusals() -> [(refusal: BudgetReservations.Refusal, atMillis: Int64)] {
        refusals.withLock { found in
            defer { found = [:] }
            return found.map { ($0.key, $0.value) }
        }
    }

    /// Makes the hold of `id` a deferred task's (no expiry) of `amount` (its batch-priced estimate).
    func keepForDeferredTask(_ id: String, amount: Money) {
        let kept = state.withLock { holds in
            guard var hold = holds.hold(id) else { return false }
            hold.amount = amount
            hold.expiresAtMillis = nil
            holds.reserve(id, hold)
            return true
        }
        if kept { shared.withLock { $0 }?.keep(id, amount: amount) }
        tasks.withLock { _ = $0.ids.insert(id) }
    }

    /// Reserves a hold without a check (a deferred task re-read at start).
    func restore(_ id: String, _ hold: BudgetReservations.Hold) {
        state.withLock { $0.reserve(id, hold) }
        tasks.withLock { _ = $0.ids.insert(id) }
    }

    /// Releases the hold of `id`, if any: call once the work's actual cost is in the spend totals.
    func release(_ id: String) {
        if state.withLock({ $0.release(id) }) != nil { shared.withLock { $0 }?.release(id) }
        tasks.withLock { _ = $0.ids.remove(id) }
    }

    /// The ids of the deferred tasks' holds.
    func taskHoldIDs() -> Set<String> { tasks.withLock { $0.ids } }

    /// Whether a sync of the task holds is due at `nowMillis`; if so, the next one is an interval later.
    func taskSyncDue(nowMillis: Int64) -> Bool {
        tasks.withLock { state in
            guard state.lastSyncMillis == .min || nowMillis - state.lastSyncMillis >= Self.taskSyncIntervalMillis
            else { return false }
            state.lastSyncMillis = nowMillis
            return true
        }
    }

    /// What is reserved for `client` (or `client` on `taskType`) on `day`.
    func reserved(client: String, taskType: String? = nil, on day: Day) -> (day: Money, month: Money) {
        state.withLock { $0.reserved(client: client, taskType: taskType, on: day) }
    }

    /// The number of holds (tests, metrics).
    var count: Int { state.withLock { $0.count } }
}
