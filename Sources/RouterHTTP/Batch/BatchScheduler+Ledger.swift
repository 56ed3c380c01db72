import ClaudeAPI
import Foundation
import RouterCore
import UsageLedger

extension BatchScheduler {
    /// A ledger row for `task` with what its stored meta says (request id, classification, policy, plan, deferral).
    func row(for task: DeferredTask, kind: UsageRecord.Kind, status: Int, errorType: String?, now: Int64)
        -> UsageRecord
    {
        let meta = TaskMeta(text: task.metaJSON)
        let policy = policies.current
        let model = policy.model(named: task.model)
        return UsageRecord(
            kind: kind, timestampMillis: now, requestID: meta.requestID.isEmpty ? task.id : meta.requestID,
            attempt: kind == .attempt ? task.attempts : 0, client: task.client, taskType: task.taskType,
            confidenceMillis: meta.routing.confidenceMillis, classifierReason: meta.routing.classifierReason,
            modelRequested: meta.routing.requestedModel, modelUsed: model?.id ?? task.model,
            tier: model?.tier.rawValue ?? meta.routing.tier, mode: .batch, status: status, errorType: errorType,
            policyHash: meta.routing.policyHash, latencyMillis: Int(clamping: max(0, now - task.createdMillis)),
            retries: kind == .request ? max(0, task.attempts - 1) : 0, cachePlan: meta.cachePlan,
            deferral: meta.deferral)
    }

    /// The ledger rows of an attempt of `task` that did not succeed: zero tokens and zero cost (a batch bills only
    /// succeeded requests), the error type and status.
    ///
    /// Like a synchronous request's rows: an `.attempt` row for each attempt of a task that had (or will have) more
    /// than one, and the `.request` row, counting the earlier attempts in `retries`, once the task has failed for
    /// good. So `report` counts a failed task once in `errors`, and every retried batch attempt in `retries`.
    /// - Parameters:
    ///   - final: the task fails now (no more attempts).
    ///   - attempted: this failure is an attempt (false: the task failed while waiting, its deadline passed).
    func attemptRows(_ task: DeferredTask, failure: AttemptFailure, final: Bool, attempted: Bool = true, now: Int64)
        -> [UsageRecord]
    {
        var rows: [UsageRecord] = []
        if final {
            rows.append(row(for: task, kind: .request, status: failure.status, errorType: failure.type, now: now))
        }
        if attempted && (!final || task.attempts > 1) {
            rows.append(row(for: task, kind: .attempt, status: failure.status, errorType: failure.type, now: now))
        }
        return rows
    }
}
