import ClaudeAPI
import Foundation
import Logging
import RouterCore
import UsageLedger

extension BatchScheduler {
    /// The wait before callback attempt `attempts + 1`: 1 s, 2 s, 4 s … up to 5 minutes.
    static func callbackBackoffMillis(afterAttempts attempts: Int) -> Int64 {
        min(Int64(1000) << Int64(min(max(attempts - 1, 0), 20)), 300_000)
    }

    /// POSTs finished tasks to their `callback_url`s. Delivery is at least once (a crash between the POST and
    /// recording it sends it again); a failed delivery never touches the stored result.
    func deliverCallbacks(now: Int64, config: BatchConfig, report: inout TickReport) async {
        let limit = Self.maxCallbacksPerTick
        guard
            let due = await storeRun(
                &report, "due callbacks",
                { q throws(LedgerError) in
                    try q.dueCallbacks(nowMillis: now, limit: limit)
                })
        else { return }
        for task in due {
            guard let url = task.callbackURL else { continue }
            var batch: BatchRecord?
            if let batchID = task.batchID {
                batch =
                    await storeRun(&report, "callback batch", { q throws(LedgerError) in try q.batch(id: batchID) })
                    ?? nil
            }
            let body = TaskDocument.json(task, batch: batch).serialized()
            let status = await callbacks.post(
                url: url, body: body, timeoutMillis: Int(clamping: config.callbackTimeoutSeconds * 1000),
                policy: config.callbacks)
            let attempts = task.callbackAttempts + 1
            let id = task.id
            if let status, (200..<300).contains(status) {
                report.callbacksDelivered += 1
                _ = await storeRun(
                    &report, "callback delivered",
                    { q throws(LedgerError) in
                        try q.recordCallback(taskID: id, state: .delivered, attempts: attempts, nextMillis: nil)
                    })
            } else {
                report.callbackFailures += 1
                metrics?.callbackFailures.labels().increment()
                let giveUp = attempts >= config.callbackMaxAttempts
                let next = giveUp ? nil : now + Self.callbackBackoffMillis(afterAttempts: attempts)
                logger.warning(
                    "callback delivery failed",
                    metadata: [
                        "task": "\(id)", "status": "\(status.map(String.init) ?? "none")", "attempt": "\(attempts)",
                    ])
                _ = await storeRun(
                    &report, "callback failed",
                    { q throws(LedgerError) in
                        try q.recordCallback(
                            taskID: id, state: giveUp ? .failed : .pending, attempts: attempts, nextMillis: next)
                    })
            }
        }
    }
}
