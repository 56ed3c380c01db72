/// The classifier's verdict: which task type, how sure, and why.
public struct Classification: Sendable, Hashable {
    /// What decided the task type.
    public enum Source: String, Sendable, Hashable {
        /// The caller said so (`task_type` or `x-router-task-type`).
        case hint
        /// A policy rule matched.
        case rule
        /// The statistical classifier predicted it.
        case statistical
        /// Nothing decided; the policy's default applies.
        case `default`
    }

    /// The task type's name.
    public var taskType: String
    /// Confidence in 0…1.
    public var confidence: Double
    /// Which source decided.
    public var source: Source
    /// Why, in words an operator understands ("rule `code` matched 'refactor'").
    public var reason: String

    /// The confidence in thousandths, as the ledger stores it.
    public var confidenceMillis: Int { Int((confidence * 1000).rounded()) }
}
