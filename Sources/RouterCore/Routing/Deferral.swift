/// Whether a task goes to the Message Batches API instead of being answered now, and why: a pure decision, part of
/// the request's `Decision`.
public struct Deferral: Sendable, Hashable {
    /// Why a task was deferred.
    public enum Reason: String, Sendable, Hashable {
        /// `priority: background` and the policy defers background work.
        case background
        /// Its deadline is far enough away for a batch.
        case deadline
        /// The client's budget is near its soft limit and the policy says to defer.
        case budget
        /// Interactive traffic has used the model's rate limit; a background task would otherwise wait or get 429.
        case rateLimited = "rate_limited"
    }

    /// Why it is deferred, or nil when it runs now.
    public var reason: Reason?
    /// In words: why, or why not.
    public var note: String

    /// Creates a deferral verdict.
    public init(reason: Reason?, note: String) {
        self.reason = reason
        self.note = note
    }

    /// Whether the task goes to a batch.
    public var deferred: Bool { reason != nil }

    /// Decides for one task.
    /// - Parameters:
    ///   - streamed: the caller asked for a stream (never deferred).
    ///   - rateLimited: the model's bucket has no headroom left for background work.
    public static func decide(
        streamed: Bool, decision: Decision, config: BatchConfig, priority: AdmissionQueue.Priority,
        deadlineMillis: Int64?, nowMillis: Int64, rateLimited: Bool
    ) -> Deferral {
        guard config.enabled else { return Deferral(reason: nil, note: "batches are disabled by the policy") }
        guard !streamed else { return Deferral(reason: nil, note: "streamed requests are never deferred") }
        guard decision.deferrable else {
            return Deferral(reason: nil, note: "task type '\(decision.classification.taskType)' is not deferrable")
        }
        let minimum = config.minDeadlineSeconds * 1000
        if let deadline = deadlineMillis {
            // A batch may take up to 24 h: a near deadline must be served now, whatever else says to wait.
            if deadline - nowMillis < minimum {
                return Deferral(
                    reason: nil,
                    note: "deadline is less than min_deadline_seconds (\(config.minDeadlineSeconds) s) away")
            }
        }
        if priority == .background && config.deferBackground {
            return Deferral(reason: .background, note: "background priority and defer_background is on")
        }
        if deadlineMillis != nil {
            return Deferral(
                reason: .deadline,
                note: "deadline is at least min_deadline_seconds (\(config.minDeadlineSeconds) s) away")
        }
        if decision.budgetSuggestsDefer {
            return Deferral(reason: .budget, note: "the client's budget is near its limit and the policy defers")
        }
        if priority == .background && rateLimited {
            return Deferral(reason: .rateLimited, note: "the model's rate limit is used up by interactive traffic")
        }
        return Deferral(reason: nil, note: "interactive task without a far deadline")
    }

    /// The ledger's short form: `sync` or `deferred:<reason>`.
    public var ledgerForm: String { reason.map { "deferred:\($0.rawValue)" } ?? "sync" }
}
