/// The budget status a request is routed under, and whose budget it is: the client's or one of its task types'.
public struct BudgetVerdict: Sendable, Hashable {
    /// The status that applies.
    public var status: BudgetStatus
    /// The task type whose budget set `status`, or nil when it is the client's budget (or nothing applies).
    public var taskType: String?

    /// Creates a verdict.
    public init(status: BudgetStatus, taskType: String? = nil) {
        self.status = status
        self.taskType = taskType
    }

    /// The tighter of the client's status and the task type's: a hard limit beats a soft one, which beats none.
    ///
    /// Of two hard limits the one that resets later is reported, since requests stay refused until then; of two soft
    /// limits the task type's wins, being the more specific setting.
    public static func tighter(client: BudgetStatus, taskType name: String, _ taskType: BudgetStatus) -> BudgetVerdict {
        let byClient = BudgetVerdict(status: client)
        let byTaskType = BudgetVerdict(status: taskType, taskType: name)
        if client.severity != taskType.severity {
            return client.severity > taskType.severity ? byClient : byTaskType
        }
        switch taskType {
        case .ok: return byClient
        case .softLimit: return byTaskType
        case .hardLimit:
            return (client.resetsAtMillis ?? 0) > (taskType.resetsAtMillis ?? 0) ? byClient : byTaskType
        }
    }

    /// Names the budget for messages: "daily budget" or "daily budget for task type 'architecture'".
    func describe(_ period: BudgetStatus.Period) -> String {
        "\(period.rawValue) budget" + (taskType.map { " for task type '\($0)'" } ?? "")
    }
}
