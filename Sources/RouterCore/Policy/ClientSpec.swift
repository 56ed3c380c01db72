/// A caller of the router, identified by the SHA-256 of its key (the key itself is never stored).
public struct ClientSpec: Sendable, Hashable {
    /// The request priority a client gets when it names none.
    public enum Priority: String, Sendable, Hashable, CaseIterable {
        /// Someone waits for the answer.
        case interactive
        /// Nobody waits; the work may be deferred to a batch.
        case background
    }

    /// The client's name, used in the ledger and reports.
    public var name: String
    /// Lower-case hex SHA-256 of the client's API key.
    public var keySHA256: String
    /// Tiers the client may use (empty: every tier).
    public var allowedTiers: [Tier]
    /// Model ids the client may use (empty: every model of an allowed tier).
    public var allowedModels: [String]
    /// The client's budget, or nil for none.
    public var budget: BudgetConfig?
    /// The priority of requests that name none.
    public var defaultPriority: Priority
    /// What the client may do beyond calling the API (`role`, default `client`).
    public var role: Role
    /// Whether the client's access-log lines carry its prompt text (`log_prompts`, default false). Off, no line
    /// ever carries prompt text.
    public var logPrompts: Bool
    /// Where budget alerts of this client (and of its task-type budgets) are POSTed: its `budget.alert_url`, else
    /// the file's `budget_alert_url`; nil for none.
    public var budgetAlertURL: String?

    /// What a client's key opens beyond the Claude API.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// The API only.
        case client
        /// The API and the operators' pages (`GET /dashboard`).
        case `operator`
    }

    /// Creates a client.
    public init(
        name: String, keySHA256: String, allowedTiers: [Tier] = [], allowedModels: [String] = [],
        budget: BudgetConfig? = nil, defaultPriority: Priority = .interactive, role: Role = .client,
        logPrompts: Bool = false, budgetAlertURL: String? = nil
    ) {
        self.name = name
        self.keySHA256 = keySHA256
        self.allowedTiers = allowedTiers
        self.allowedModels = allowedModels
        self.budget = budget
        self.defaultPriority = defaultPriority
        self.role = role
        self.logPrompts = logPrompts
        self.budgetAlertURL = budgetAlertURL
    }

    /// Whether the client may use `model`.
    public func allows(_ model: ModelSpec) -> Bool {
        (allowedTiers.isEmpty || allowedTiers.contains(model.tier))
            && (allowedModels.isEmpty || allowedModels.contains(model.id))
    }
}
