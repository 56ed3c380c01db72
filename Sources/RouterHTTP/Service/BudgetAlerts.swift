import ClaudeAPI
public import Logging
public import RouterCore
import Synchronization
import UsageLedger

/// Sends budget alerts: one JSON POST when a client's or a task type's budget crosses its soft limit, and one when
/// it reaches its limit, once per budget, period and level.
///
/// Everything happens in `tick(nowMillis:)`, which the service runs every second (`run`) and tests call directly,
/// off every request's path: it reads the running spend (memory), and for each crossing not seen before stores the
/// alert in the ledger database *before* sending it (`budget_alerts`, keyed by budget, period and level), so a
/// restart never sends one twice. Delivery goes through the task callbacks' sender and rules (batches.yaml's
/// `callback_allow_hosts` / `callback_allow_private`, the connection pinned to the checked address, no redirects),
/// `callback_timeout_seconds` per attempt, at most `callback_max_attempts` attempts with backoff. The address is
/// read from the policy in force at each attempt (a pending alert follows an edited `budget_alert_url`) and never
/// logged (webhook URLs often carry a token): only the client and the alert's id are.
public final class BudgetAlerts: Sendable {
    /// What one tick did, for tests and logs.
    public struct TickReport: Sendable, Hashable {
        /// Crossings stored for the first time (alerts created).
        public var created = 0
        /// Alerts answered 2xx.
        public var delivered = 0
        /// Attempts without a 2xx (retried later unless it was the last).
        public var failures = 0
        /// Storage errors met (retried next tick).
        public var errors = 0

        /// An empty report.
        public init() {}
    }

    let store: TaskStore
    let policies: PolicyStore
    let spend: any SpendSource
    let sender: any CallbackSender
    let metrics: RouterMetrics?
    let logger: Logger
    /// The budgets that refused requests since the last tick (`BudgetHolds.takeRefusals`).
    let refusals: @Sendable () -> [(refusal: BudgetReservations.Refusal, atMillis: Int64)]
    /// Ids of crossings already stored (this process or an earlier one), so a tick writes only new ones; pruned to
    /// the current periods.
    private let known = Mutex<(loaded: Bool, ids: Set<String>)>((false, []))

    /// Alerts sent per tick at most (the rest wait for the next).
    static let maxDeliveriesPerTick = 20

    /// Creates the alerting loop over the ledger database's `store`, reading `spend` (the ledger's running totals).
    public init(
        store: TaskStore, policies: PolicyStore, spend: any SpendSource, sender: any CallbackSender,
        metrics: RouterMetrics? = nil, logger: Logger,
        refusals: @escaping @Sendable () -> [(refusal: BudgetReservations.Refusal, atMillis: Int64)] = { [] }
    ) {
        self.refusals = refusals
        self.store = store
        self.policies = policies
        self.spend = spend
        self.sender = sender
        self.metrics = metrics
        self.logger = logger
    }

    /// Finds new crossings, stores them, then delivers the alerts due.
    @discardableResult
    public func tick(nowMillis now: Int64) async -> TickReport {
        var report = TickReport()
        let policy = policies.current
        let monthStart = Day(epochMillis: now).firstOfMonth.daysSinceEpoch
        if !known.withLock({ $0.loaded }) {
            do {
                let ids = try await store.run { q throws(LedgerError) in try q.budgetAlertIDs(periodStartFrom: monthStart) }
                known.withLock { $0 = (true, $0.ids.union(ids)) }
            } catch {
                report.errors += 1
                return report
            }
        }
        let spend = self.spend
        // Only clients with somewhere to send alerts: a budget without an address is not watched.
        let watched = policy.clients.filter { $0.budgetAlertURL != nil }
        var crossings = BudgetCrossing.all(clients: watched, nowMillis: now) { spend.spend(client: $0, taskType: $1) }
        // A refusal is the hard level even below the limit (reservations count too); its id is the same, so a budget
        // gets one hard alert per period either way.
        for (refusal, at) in refusals() {
            guard let client = watched.first(where: { $0.name == refusal.client }),
                let crossing = BudgetCrossing.refusal(
                    client: client, taskType: refusal.taskType, period: refusal.period, atMillis: at,
                    spend: { spend.spend(client: $0, taskType: $1) })
            else { continue }
            if !crossings.contains(where: { $0.id == crossing.id }) { crossings.append(crossing) }
        }
        let seen = known.withLock { $0.ids }
        for crossing in crossings where !seen.contains(crossing.id) {
            let alert = TaskQueue.BudgetAlert(
                crossing: crossing, body: Self.body(crossing, atMillis: now), createdMillis: now)
            do {
                let new = try await store.run { q throws(LedgerError) in try q.insertBudgetAlert(alert) }
                if new {
                    report.created += 1
                    logger.notice(
                        "budget alert",
                        metadata: [
                            "alert": "\(crossing.id)", "client": "\(crossing.client)",
                            "spent_usd": "\(crossing.spent.exactDollars)", "limit_usd": "\(crossing.limit.exactDollars)",
                        ])
                }
                _ = known.withLock { $0.ids.insert(crossing.id) }
            } catch {
                report.errors += 1
            }
        }
        // Forget crossings of periods that have ended (a month's ids are dropped after it).
        known.withLock { state in
            state.ids = state.ids.filter { Self.periodStartDay(of: $0).map { $0 >= monthStart } ?? false }
        }
        await deliver(now: now, policy: policy, report: &report)
        return report
    }

    private func deliver(now: Int64, policy: Policy, report: inout TickReport) async {
        let due: [TaskQueue.BudgetAlert]
        do {
            due = try await store.run { q throws(LedgerError) in
                try q.dueBudgetAlerts(nowMillis: now, limit: Self.maxDeliveriesPerTick)
            }
        } catch {
            report.errors += 1
            return
        }
        let config = policy.batches
        for alert in due {
            let attempts = alert.attempts + 1
            var status: Int?
            if let url = policy.client(named: alert.client)?.budgetAlertURL {
                status = await sender.post(
                    url: url, body: Array(alert.body.utf8), timeoutMillis: Int(clamping: config.callbackTimeoutSeconds * 1000),
                    policy: config.callbacks)
            }
            let delivered = status.map { (200..<300).contains($0) } ?? false
            let giveUp = !delivered && attempts >= config.callbackMaxAttempts
            let state: TaskQueue.BudgetAlert.State = delivered ? .delivered : giveUp ? .failed : .pending
            let next = state == .pending ? now + BatchScheduler.callbackBackoffMillis(afterAttempts: attempts) : nil
            if delivered {
                report.delivered += 1
                metrics?.budgetAlerts.labels(alert.level, "delivered").increment()
            } else {
                report.failures += 1
                metrics?.budgetAlerts.labels(alert.level, "failed").increment()
                logger.warning(
                    "budget alert delivery failed",
                    metadata: [
                        "alert": "\(alert.id)", "status": "\(status.map(String.init) ?? "none")",
                        "attempt": "\(attempts)", "final": "\(giveUp)",
                    ])
            }
            let id = alert.id
            do {
                try await store.run { q throws(LedgerError) in
                    try q.recordBudgetAlert(id: id, state: state, attempts: attempts, nextMillis: next)
                }
            } catch {
                report.errors += 1
            }
        }
    }

    /// Ticks every `interval` until the task is cancelled.
    public func run(every interval: Duration = .seconds(1), clock: any RouterClock) async {
        while !Task.isCancelled {
            let report = await tick(nowMillis: clock.nowMillis())
            if report.errors > 0 {
                logger.warning("budget alerts: storage errors this tick", metadata: ["errors": "\(report.errors)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The day a crossing id's period starts on, in days since the epoch (`client/type/period/YYYY-MM-DD/level`).
    static func periodStartDay(of id: String) -> Int64? {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5 else { return nil }
        return Day(iso: String(parts[parts.count - 2]))?.daysSinceEpoch
    }

    /// The webhook's JSON body: what crossed, by how much, until when. Names, amounts and times only: no key, no
    /// key hash, no address.
    static func body(_ crossing: BudgetCrossing, atMillis now: Int64) -> String {
        let object: JSONValue = .object(
            JSONObject([
                ("type", "budget_alert"),
                ("id", .string(crossing.id)),
                ("level", .string(crossing.level.rawValue)),
                ("client", .string(crossing.client)),
                ("task_type", crossing.taskType.map { .string($0) } ?? .null),
                ("period", .string(crossing.period.rawValue)),
                ("period_start", .string(crossing.periodStart.description)),
                ("limit_usd", .string(crossing.limit.exactDollars)),
                ("spent_usd", .string(crossing.spent.exactDollars)),
                ("spent_percent", .number(JSONNumber(crossing.spentPercent))),
                ("soft_limit_percent", .number(JSONNumber(crossing.softLimitPercent))),
                ("soft_action", .string(crossing.softAction.rawValue)),
                ("hard_limit", .bool(crossing.hardLimit)),
                ("cause", .string(crossing.refused ? "request_refused" : "spend_reached")),
                ("resets_at", .string(JSONLogHandler.timestamp(millis: crossing.resetsAtMillis))),
                ("created_at", .string(JSONLogHandler.timestamp(millis: now))),
            ]))
        return object.jsonString()
    }
}

