import ClaudeAPI
import Foundation
import Logging
import RouterCore
import Tracing
import UsageLedger

extension BatchScheduler {
    /// Packs and submits batches while one is due. Tasks are grouped by header set (`anthropic-beta` …, which
    /// applies to the whole create call); a group is due when `max_batch_size` of its tasks wait, its oldest has
    /// waited `max_wait_seconds`, or one of its deadlines is within `min_deadline_seconds + max_wait_seconds`.
    /// Tasks that must run synchronously (deadline within `min_deadline_seconds`) are left out when this scheduler
    /// can run them.
    func submitDue(now: Int64, config: BatchConfig, report: inout TickReport) async {
        let cutoff: Int64? = runner == nil ? nil : now + config.minDeadlineSeconds * 1000
        for _ in 0..<Self.maxSubmissionsPerTick {
            guard
                let groups = await storeRun(
                    &report, "pending groups",
                    { q throws(LedgerError) in
                        try q.pendingGroups(deadlineNotBefore: cutoff)
                    })
            else { return }
            let due = groups.first { group in
                let full = group.count >= config.maxBatchSize
                let waited = group.oldestCreatedMillis.map { now - $0 >= config.maxWaitSeconds * 1000 } ?? false
                let atRisk =
                    group.earliestDeadlineMillis.map {
                        $0 - now < (config.minDeadlineSeconds + config.maxWaitSeconds) * 1000
                    } ?? false
                return full || waited || atRisk
            }
            guard let group = due else { return }
            let limit = config.maxBatchSize
            let headers = group.headers
            guard
                let tasks = await storeRun(
                    &report, "pending tasks",
                    { q throws(LedgerError) in
                        try q.pendingTasks(limit: limit, headers: headers, deadlineNotBefore: cutoff)
                    }), !tasks.isEmpty
            else { return }
            let span = tracer?.batchSpan("batch submit", tasks: tasks.count)
            let before = report.submitted.count
            await withSpanContext(span) {
                await submit(tasks, headers: HeaderSet(canonical: headers), now: now, report: &report)
            }
            span?.endSubmit(batchID: report.submitted.count > before ? report.submitted.last : nil)
        }
    }

    /// Records the batch and its tasks as `submitting` (durably, so no task can go into a second batch), then
    /// creates it upstream and stores the API's id.
    func submit(_ tasks: [DeferredTask], headers: HeaderSet, now: Int64, report: inout TickReport) async {
        let batchID = Self.newBatchID()
        let record = BatchRecord(id: batchID, state: .submitting, createdMillis: now, taskCount: tasks.count)
        let ids = tasks.map(\.id)
        guard
            await storeRun(
                &report, "mark submitted",
                { q throws(LedgerError) in
                    try q.markSubmitted(taskIDs: ids, batch: record)
                }) != nil
        else { return }
        // The params are the stored request text as it is: it was serialized by the router (stream removed).
        var body = Array(#"{"requests":["#.utf8)
        for (i, task) in tasks.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += Array(#"{"custom_id":"#.utf8) + JSONValue.string(task.id).serialized()
            body += Array(#","params":"#.utf8) + Array(task.requestJSON.utf8) + [UInt8(ascii: "}")]
        }
        body += Array("]}".utf8)
        guard let answer = await call("POST", "/v1/messages/batches", body: body, headers: headers.apiHeaders) else {
            // No answer: the batch may or may not exist upstream. It stays `submitting`; the reconciler decides.
            report.unconfirmed += 1
            return
        }
        if (200..<300).contains(answer.status), let batch = MessageBatch(json: try? JSONValue.parse(answer.body)),
            !batch.id.isEmpty
        {
            let upstream = batch.id
            if await storeRun(
                &report, "store upstream id",
                { q throws(LedgerError) in
                    try q.updateBatch(id: batchID, upstreamBatchID: upstream, state: .inProgress, submittedMillis: now)
                }) != nil
            {
                report.submitted.append(batchID)
                let interval = policies.current.batches.pollIntervalSeconds * 1000
                polls.withLock { $0[batchID] = PollSchedule(nextMillis: now + interval, intervalMillis: interval) }
                logger.info(
                    "batch submitted",
                    metadata: ["batch": "\(batchID)", "upstream": "\(upstream)", "tasks": "\(tasks.count)"])
            }
            return
        }
        if Self.isDefinitiveRefusal(answer.status) {
            // The API looked at the batch and said no: nothing was created. Each task counts the attempt.
            let message = ErrorResponse(bytes: answer.body)?.error
            let failure = AttemptFailure(
                message?.type ?? ErrorType(httpStatus: answer.status),
                "the batch was refused (\(answer.status)): \(message?.message ?? "")", status: answer.status)
            for task in tasks {
                await retryOrFail(task, batchID: batchID, failure: failure, now: now, report: &report)
            }
            _ = await storeRun(
                &report, "fail batch",
                { q throws(LedgerError) in
                    try q.updateBatch(id: batchID, state: .failed, endedMillis: now)
                })
            return
        }
        // 408, 409, 429, 5xx: most likely not created, but not certain. The reconciler decides.
        report.unconfirmed += 1
    }

    static func isDefinitiveRefusal(_ status: Int) -> Bool {
        (400..<500).contains(status) && ![408, 409, 429].contains(status)
    }

    /// Sends a task whose attempt did not succeed to a later batch (or, when its deadline is too close for one, to
    /// a synchronous run: see `startDueRuns`), or fails it when `max_attempts` is used up or its deadline has
    /// passed. The attempt's ledger rows go in the same transaction as the task's change, so exactly once.
    func retryOrFail(
        _ task: DeferredTask, batchID: String, failure: AttemptFailure, now: Int64, report: inout TickReport
    ) async {
        let config = policies.current.batches
        let id = task.id
        let gaveUp = task.attempts >= config.maxAttempts
        if gaveUp || (task.deadlineMillis.map { $0 <= now } ?? false) {
            let why =
                gaveUp
                ? "\(failure.reason) (gave up after \(task.attempts) attempt\(task.attempts == 1 ? "" : "s"))"
                : "\(failure.reason) (the deadline has passed)"
            let rows = attemptRows(task, failure: failure, final: true, now: now)
            if await storeRun(
                &report, "fail task",
                { q throws(LedgerError) in
                    try q.complete(taskID: id, batchID: batchID, state: .failed, error: why, usage: rows)
                }) == true
            {
                report.failed += 1
                committed(rows)
            }
        } else {
            let rows = attemptRows(task, failure: failure, final: false, now: now)
            if await storeRun(
                &report, "requeue task",
                { q throws(LedgerError) in
                    try q.requeue(taskID: id, batchID: batchID, error: failure.reason, usage: rows)
                }) == true
            {
                report.retried += 1
                committed(rows)
            }
        }
    }
}
