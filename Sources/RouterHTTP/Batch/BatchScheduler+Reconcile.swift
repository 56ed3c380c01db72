import ClaudeAPI
import Foundation
import Logging
import RouterCore
import UsageLedger

extension BatchScheduler {
    /// Most list pages read while reconciling (100 batches each).
    static let maxReconcilePages = 20

    /// Settles batches left in `submitting`: the router recorded them and may or may not have created them upstream
    /// (a crash, or no clear answer, between the create call and storing the API's id).
    ///
    /// The rule: list the API's batches, newest first, down to the newest batch this router knows that is older than
    /// the one being settled. A batch in that window whose id the router does not know and whose `request_counts`
    /// add up to the local batch's task count is taken to be it (the oldest such, so several unsettled batches pair
    /// up in order). None: the create never landed, and the tasks go back to pending with the attempt refunded.
    /// This relies on one scheduler creating batches one at a time on this API key; see docs/batches.md for limits.
    /// A wrong match cannot mix results up: results are matched to tasks by `custom_id` within the local batch.
    func reconcile(now: Int64, report: inout TickReport) async {
        guard
            let unsettled = await storeRun(
                &report, "unsettled batches",
                { q throws(LedgerError) in
                    try q.batches(in: [.submitting])
                }), !unsettled.isEmpty,
            let known = await storeRun(
                &report, "known batches",
                { q throws(LedgerError) in
                    try q.batchesWithUpstreamID()
                }),
            // Batches clients created through the pass-through are known too: never adopted as the router's own.
            let clientOwned = await storeRun(
                &report, "client batches", { q throws(LedgerError) in try q.clientBatchUpstreamIDs() })
        else { return }
        var knownByUpstream: [String: BatchRecord] = [:]
        for record in known { if let upstream = record.upstreamBatchID { knownByUpstream[upstream] = record } }
        let oldest = unsettled.map(\.createdMillis).min() ?? now

        var listed: [MessageBatch] = []
        var after: String?
        for _ in 0..<Self.maxReconcilePages {
            let path = "/v1/messages/batches?limit=100" + (after.map { "&after_id=\($0)" } ?? "")
            guard let answer = await call("GET", path), (200..<300).contains(answer.status),
                let page = MessageBatchList(json: try? JSONValue.parse(answer.body))
            else {
                report.errors += 1
                return  // try again next tick; nothing is decided without the list
            }
            listed += page.data
            let reachedOlder = page.data.contains { knownByUpstream[$0.id].map { $0.createdMillis < oldest } ?? false }
            guard page.hasMore, !reachedOlder, let last = page.lastID else { break }
            after = last
        }

        var claimed = Set<String>()
        for batch in unsettled {
            var candidates: [MessageBatch] = []
            for item in listed {
                if let local = knownByUpstream[item.id] {
                    if local.createdMillis < batch.createdMillis { break }
                    continue
                }
                if !claimed.contains(item.id), !clientOwned.contains(item.id), item.requestCounts.total == batch.taskCount {
                    candidates.append(item)
                }
            }
            let localID = batch.id
            if let match = candidates.last {
                claimed.insert(match.id)
                let upstream = match.id
                if await storeRun(
                    &report, "adopt batch",
                    { q throws(LedgerError) in
                        try q.updateBatch(
                            id: localID, upstreamBatchID: upstream, state: .inProgress, submittedMillis: now)
                    }) != nil
                {
                    report.adopted += 1
                    let interval = policies.current.batches.pollIntervalSeconds * 1000
                    polls.withLock { $0[localID] = PollSchedule(nextMillis: now, intervalMillis: interval) }
                    logger.notice(
                        "reconciled an unconfirmed batch with the API's list",
                        metadata: ["batch": "\(localID)", "upstream": "\(upstream)"])
                }
            } else if let moved = await storeRun(
                &report, "release batch",
                { q throws(LedgerError) in
                    try q.releaseBatch(id: localID)
                })
            {
                report.released += 1
                logger.notice(
                    "an unconfirmed batch never reached the API; its tasks wait again",
                    metadata: ["batch": "\(localID)", "tasks": "\(moved)"])
            }
        }
    }
}
