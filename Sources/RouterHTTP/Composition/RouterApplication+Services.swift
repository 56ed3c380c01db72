public import RouterCore
import UsageLedger

extension RouterApplication {
    /// Reloads the policy from its directory and, when a new snapshot was swapped in, hands its `limits.yaml`
    /// (buckets, margin, queue bounds) to the pacer. Requests in flight keep the snapshot they started with; the
    /// pacer keeps every queued waiter and reservation.
    @discardableResult
    public func reloadPolicy() -> PolicyStore.ReloadOutcome {
        let outcome = policies.reload()
        if case .reloaded = outcome {
            // Read the store again rather than capturing the snapshot: of two racing reloads, both then apply the
            // newest policy.
            dependencies.pacer.apply(policy: policies.current.limits)
        }
        return outcome
    }

    /// The `ServiceGroup` member that bounds in-flight streams to `configuration.shutdownGraceMillis` once graceful
    /// shutdown begins; list it after the HTTP application.
    public func streamShutdownService() -> StreamShutdownService {
        StreamShutdownService(
            drain: messagesController.executor.streams, grace: .milliseconds(configuration.shutdownGraceMillis))
    }

    /// Makes budget admissions check and reserve in `store`, which every replica on the same database shares
    /// (`serve --db postgres://…`), so that a hard budget holds across replicas. Call it before serving.
    public func shareBudgetHolds(_ store: any SharedBudgetHolds) { holds.share(with: store) }

    /// A scheduler for this service's deferred tasks, sharing its upstream, policy and metrics; nil when the service
    /// has no task store.
    /// - Parameters:
    ///   - callbacks: delivers `callback_url` POSTs.
    ///   - maxConcurrentRuns: most tasks run synchronously at once (those whose deadline leaves no room for another
    ///     batch), so a burst of them cannot take over the upstream; nil follows `batches.yaml`'s `max_sync_runs`.
    public func makeBatchScheduler(
        callbacks: any CallbackSender, maxConcurrentRuns: Int? = nil
    ) -> BatchScheduler? {
        guard let taskStore = dependencies.taskStore else { return nil }
        let holds = self.holds
        // On a shared store another replica may finish this replica's tasks: their holds are re-synced.
        var afterTick: (@Sendable (Int64) async -> Void)?
        if taskStore.queue.sharedByReplicas {
            afterTick = { [self] (now: Int64) async in await self.syncTaskHolds(nowMillis: now) }
        }
        return BatchScheduler(
            store: taskStore, transport: dependencies.transport, policies: policies, callbacks: callbacks,
            metrics: metrics.families, logger: logger,
            committed: { rows in
                // A task's `.request` row is its last: the queue's commit put its cost in the spend totals (the queue
                // was made with the ledger as its accounting), so its hold goes.
                for row in rows where row.kind == .request { holds.release(row.requestID) }
            },
            upstreamBaseURL: configuration.upstreamBaseURL, runner: taskRunner, maxConcurrentRuns: maxConcurrentRuns,
            tracer: dependencies.tracer, afterTick: afterTick)
    }

    /// The budget alerts of this service: its task store (the ledger database), policy, spend and metrics; nil when
    /// the service has no task store.
    public func makeBudgetAlerts(sender: any CallbackSender) -> BudgetAlerts? {
        guard let taskStore = dependencies.taskStore else { return nil }
        return BudgetAlerts(
            store: taskStore, policies: policies, spend: dependencies.spend, sender: sender, metrics: metrics.families,
            logger: logger, refusals: { [holds] in holds.takeRefusals() })
    }

    /// Rebuilds the budget reservations of the deferred tasks not yet finished (each task's meta keeps its amount),
    /// so a restart neither forgets queued work nor keeps a hold for work that finished before the crash.
    func restoreTaskHolds() {
        guard let taskStore = dependencies.taskStore, let tasks = try? taskStore.queue.unfinishedTasks() else { return }
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
        guard let taskStore = dependencies.taskStore, holds.taskSyncDue(nowMillis: nowMillis) else { return }
        let held = holds.taskHoldIDs()
        guard !held.isEmpty,
            let unfinished = try? await taskStore.run({ queue throws(LedgerError) in try queue.unfinishedTasks() })
        else { return }
        let live = Set(
            unfinished.map { task in
                let meta = TaskMeta(text: task.metaJSON)
                return meta.requestID.isEmpty ? task.id : meta.requestID
            })
        for id in held where !live.contains(id) { holds.release(id) }
    }
}
