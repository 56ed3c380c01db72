import Foundation
import Logging
import RouterCore
import UsageLedger

extension BatchScheduler {
    /// The synchronous runs this scheduler has in flight.
    struct Runs: Sendable {
        /// Tasks this process is running (their `running` state in the queue is owned by a live run).
        var ids: Set<String> = []
        var handles: [String: Task<Void, Never>] = [:]
    }

    /// Tasks left `running` by a process that stopped mid-run go back to pending (and run again, or are failed, by
    /// the usual rules). A run of this process is never touched: its id is registered before the task is marked.
    func releaseOrphanedRuns(report: inout TickReport) async {
        let live = runs.withLock { $0.ids }
        guard
            let released = await storeRun(
                &report, "release runs",
                { q throws(LedgerError) in
                    try q.releaseRuns(keeping: live)
                }), released > 0
        else { return }
        report.runsReleased += released
        logger.notice("tasks interrupted mid-run go back to pending", metadata: ["tasks": "\(released)"])
    }

    /// Starts, up to the concurrency bound, the pending tasks whose deadline is closer than `min_deadline_seconds`
    /// (the time the policy allows a batch): another batch could not serve them in time, so they run now through
    /// the synchronous pipeline. A task whose deadline has passed, or that has used up `max_attempts`, is failed.
    func startDueRuns(now: Int64, config: BatchConfig, report: inout TickReport) async {
        guard let runner else { return }
        let free = (maxConcurrentRuns ?? config.maxSyncRuns) - runs.withLock { $0.ids.count }
        guard free > 0 else { return }
        let cutoff = now + config.minDeadlineSeconds * 1000
        guard
            let due = await storeRun(
                &report, "due runs",
                { q throws(LedgerError) in
                    try q.pendingTasks(deadlineBefore: cutoff, limit: free)
                })
        else { return }
        for task in due {
            let id = task.id
            let late = task.deadlineMillis.map { $0 <= now } ?? false
            if late || task.attempts >= config.maxAttempts {
                let last = task.error ?? "deadline_exceeded: the task could not run before its deadline"
                let why =
                    late
                    ? "\(last) (the deadline has passed)"
                    : "\(last) (gave up after \(task.attempts) attempt\(task.attempts == 1 ? "" : "s"))"
                let failure = AttemptFailure(
                    type: TaskDocument.errorType(last) ?? "deadline_exceeded", message: why, status: 0)
                let rows = attemptRows(task, failure: failure, final: true, attempted: false, now: now)
                if await storeRun(
                    &report, "fail task",
                    { q throws(LedgerError) in
                        try q.failPending(taskID: id, error: why, usage: rows)
                    }) == true
                {
                    report.failed += 1
                    committed(rows)
                }
                continue
            }
            // Registered before the queue marks it running, so the orphan sweep never takes a live run.
            runs.withLock { _ = $0.ids.insert(id) }
            guard
                let started = await storeRun(
                    &report, "start run",
                    { q throws(LedgerError) in
                        try q.startRun(taskID: id)
                    }) ?? nil
            else {
                runs.withLock { _ = $0.ids.remove(id) }
                continue
            }
            report.runsStarted += 1
            logger.info(
                "running a deferred task now: its deadline leaves no room for another batch",
                metadata: ["task": "\(id)", "attempt": "\(started.attempts)"])
            let handle = Task { await self.execute(started, runner: runner) }
            runs.withLock { runs in
                // The run may have finished already; keep the handle only while it is live.
                if runs.ids.contains(id) { runs.handles[id] = handle }
            }
        }
    }

    /// One synchronous run: the pipeline answers, the outcome is stored against the task (its callback becomes due).
    func execute(_ task: DeferredTask, runner: any DeferredTaskRunner) async {
        let outcome = await runner.runNow(task)
        let id = task.id
        do {
            let stored: Bool
            if outcome.retry {
                // Back to pending with the attempt counted: the next tick runs it again, or fails it if its
                // deadline has passed meanwhile.
                let error = outcome.error
                stored = try await store.run { q throws(LedgerError) in try q.requeueRun(taskID: id, error: error) }
            } else {
                stored = try await store.run { q throws(LedgerError) in
                    try q.finishRun(
                        taskID: id, state: outcome.succeeded ? .succeeded : .failed, resultJSON: outcome.resultJSON,
                        error: outcome.error, costNano: outcome.costNano)
                }
            }
            if !stored {
                logger.warning("a synchronous run ended but its task is no longer running", metadata: ["task": "\(id)"])
            }
        } catch {
            // The task stays `running`; once this run is forgotten the sweep sends it back to pending.
            logger.error(
                "the outcome of a synchronous run could not be stored",
                metadata: ["task": "\(id)", "error": "\(error)"])
        }
        runs.withLock { runs in
            runs.ids.remove(id)
            runs.handles[id] = nil
        }
    }

    /// Waits until every synchronous run started so far has ended and its outcome is stored.
    public func drainRuns() async {
        // Bounded: each pass waits for the runs it saw; runs start only inside `tick`.
        for _ in 0..<1000 {
            let handles = runs.withLock { Array($0.handles.values) }
            if handles.isEmpty { return }
            for handle in handles { await handle.value }
        }
    }

    /// How many synchronous runs are in flight.
    public var runsInFlight: Int { runs.withLock { $0.ids.count } }
}
