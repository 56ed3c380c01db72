/// How a synchronous run of a deferred task ended: what is stored against the task.
struct TaskRunOutcome: Sendable, Hashable {
    /// The Messages response as JSON text, when it succeeded.
    var resultJSON: String?
    /// `type: message` when it failed.
    var error: String?
    /// What the run cost (exact, standard price), in nano-dollars.
    var costNano: Int64
    /// The failure may pass (rate limit, overload, server error) and the task has attempts left: it goes back to
    /// pending and runs again (if its deadline has not passed by then). Its rows were recorded as attempts only.
    var retry = false

    /// Whether the run produced a result.
    var succeeded: Bool { resultJSON != nil }
}
