public import RouterCore
import UsageLedger

extension RouterService {
    /// A scheduler for this service's deferred tasks, sharing its upstream, policy and metrics; nil when the service
    /// has no task store.
    /// - Parameters:
    ///   - callbacks: delivers `callback_url` POSTs.
    ///   - committed: told of each ledger row the task queue committed (pass the ledger's `account`); a task's final
    ///     `.request` row also releases its budget hold.
    ///   - maxConcurrentRuns: most tasks run synchronously at once (those whose deadline leaves no room for another
    ///     batch), so a burst of them cannot take over the upstream; nil follows `batches.yaml`'s `max_sync_runs`.
    public func makeBatchScheduler(
        callbacks: any CallbackSender, committed: @escaping @Sendable ([UsageRecord]) -> Void = { _ in },
        maxConcurrentRuns: Int? = nil
    ) -> BatchScheduler? {
        guard let taskStore else { return nil }
        let holds = self.holds
        // On a shared store another replica may finish this replica's tasks: their holds are re-synced.
        var afterTick: (@Sendable (Int64) async -> Void)?
        if taskStore.queue.sharedByReplicas {
            afterTick = { [self] (now: Int64) async in await self.syncTaskHolds(nowMillis: now) }
        }
        return BatchScheduler(
            store: taskStore, transport: transport, policies: policies, callbacks: callbacks,
            metrics: metrics.families, logger: logger,
            committed: { rows in
                committed(rows)
                // A task's `.request` row is its last: its cost is now in the spend totals, its hold goes.
                for row in rows where row.kind == .request { holds.release(row.requestID) }
            },
            upstreamBaseURL: configuration.upstreamBaseURL, runner: self, maxConcurrentRuns: maxConcurrentRuns,
            tracer: tracer, afterTick: afterTick)
    }

    /// Whether the model's rate-limit bucket has no headroom left for background work now (a non-blocking look at
    /// the pacer): requests or input tokens used up, a 429 pause, or interactive requests already queued.
    /// `Router.decide` asks it (for a background task only) to decide a `rate_limited` deferral.
    func rateLimitSaturated(model id: String, estimatedInput: Int64, policy: Policy) -> Bool {
        guard let model = policy.model(named: id),
            let lane = dispatcher.pacing.laneSnapshots().first(where: { $0.bucket == model.rateLimitBucket })
        else { return false }
        let headroom = lane.headroom
        return headroom.blockedForMillis > 0 || (headroom.requests.map { $0 <= 0 } ?? false)
            || (headroom.inputTokens.map { $0 < estimatedInput } ?? false)
            || lane.interactiveDepth > 0
    }
}
