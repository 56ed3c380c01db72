import UsageLedger

/// Runs a deferred task now, through the service's synchronous pipeline (pacing, retries, fallback, a ledger row
/// with mode `sync`): the scheduler's way out when a task's deadline leaves no room for another batch.
protocol DeferredTaskRunner: Sendable {
    /// Runs `task` (already marked `running`, this run counted in its `attempts`) and says how it ended.
    func runNow(_ task: DeferredTask) async -> TaskRunOutcome
}
