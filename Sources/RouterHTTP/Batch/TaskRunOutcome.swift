/// How a synchronous run of a deferred task ended: what is stored against the task.
struct TaskRunOutcome: Sendable, Hashable {
    /// The Messages response as JSON text, when it succeeded.
    var resultJSON: String?
    /// `type: message` when it failed.
    var error: String?
    /// What the run cost (exact, standard price), in nano-dollars.
    var costNano: Int64

    /// Whether the run produced a result.
    var succeeded: Bool { resultJSON != nil }
}
