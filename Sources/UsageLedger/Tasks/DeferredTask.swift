/// A task the router deferred to the Message Batches API, as stored in the durable queue.
public struct DeferredTask: Sendable, Hashable {
    /// Where a deferred task is in its life.
    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        /// Stored, waiting to be packed into a batch.
        case pending
        /// Sent upstream inside a batch.
        case submitted
        /// Being run synchronously now (its deadline left no room for another batch).
        case running
        /// The batch returned a result for it.
        case succeeded
        /// The batch (or the router) gave up on it; `error` says why.
        case failed
        /// The client canceled it before it finished.
        case canceled

        /// Whether the task will not change any more.
        public var isFinal: Bool { self == .succeeded || self == .failed || self == .canceled }
    }

    /// Where the delivery of a task's callback is.
    public enum CallbackState: String, Sendable, Hashable, CaseIterable, Codable {
        /// The task finished and its callback has not been delivered yet (retries are scheduled).
        case pending
        /// The callback URL answered 2xx.
        case delivered
        /// Every attempt failed; the result is still stored and readable with `GET /v1/tasks/{id}`.
        case failed
    }

    /// The router's task id (what `GET /v1/tasks/{id}` takes).
    public var id: String
    /// The client's name from the policy.
    public var client: String
    /// Milliseconds since the epoch when the task was accepted.
    public var createdMillis: Int64
    /// When the client needs the result by, if it said.
    public var deadlineMillis: Int64?
    /// `interactive` or `background`.
    public var priority: String
    /// The classified task type.
    public var taskType: String
    /// The model the router chose.
    public var model: String
    /// The Messages request body to send, as JSON text.
    public var requestJSON: String
    /// Where the task is.
    public var state: State
    /// The router's id of the batch the task went into.
    public var batchID: String?
    /// The `custom_id` the task has inside its batch.
    public var customID: String?
    /// How many times it has been submitted.
    public var attempts: Int
    /// The batch result (the Messages response) as JSON text.
    public var resultJSON: String?
    /// Why the task failed, as `type: message`; on a pending task, what happened to its last attempt.
    public var error: String?
    /// Where to POST the result when it arrives, if the client asked.
    public var callbackURL: String?
    /// Milliseconds since the epoch of the last change.
    public var updatedMillis: Int64
    /// What the router needs besides the request to answer for the task and to record its cost (the decision,
    /// request id, policy hash …), as JSON text written by the service.
    public var metaJSON: String?
    /// The exact cost of the result at batch price, in nano-dollars, once it succeeded.
    public var costNano: Int64?
    /// Where the callback's delivery is; nil while the task is unfinished or when it has no callback URL.
    public var callbackState: CallbackState?
    /// Callback deliveries tried so far.
    public var callbackAttempts: Int
    /// When the next callback attempt is due (milliseconds since the epoch).
    public var callbackNextMillis: Int64?
    /// The pass-through request headers that change the API's behaviour (`anthropic-beta`, a non-default
    /// `anthropic-version`), in the service's canonical text; empty for none. Opaque here: tasks are packed into one
    /// batch only with tasks of the same text, because the headers apply to the whole batch create call.
    public var headers: String

    /// Creates a task; a new one is `.pending` with no batch and no result.
    public init(
        id: String, client: String, createdMillis: Int64, deadlineMillis: Int64? = nil, priority: String = "background",
        taskType: String, model: String, requestJSON: String, state: State = .pending, batchID: String? = nil,
        customID: String? = nil, attempts: Int = 0, resultJSON: String? = nil, error: String? = nil,
        callbackURL: String? = nil, updatedMillis: Int64? = nil, metaJSON: String? = nil, costNano: Int64? = nil,
        callbackState: CallbackState? = nil, callbackAttempts: Int = 0, callbackNextMillis: Int64? = nil,
        headers: String = ""
    ) {
        self.id = id
        self.client = client
        self.createdMillis = createdMillis
        self.deadlineMillis = deadlineMillis
        self.priority = priority
        self.taskType = taskType
        self.model = model
        self.requestJSON = requestJSON
        self.state = state
        self.batchID = batchID
        self.customID = customID
        self.attempts = attempts
        self.resultJSON = resultJSON
        self.error = error
        self.callbackURL = callbackURL
        self.updatedMillis = updatedMillis ?? createdMillis
        self.metaJSON = metaJSON
        self.costNano = costNano
        self.callbackState = callbackState
        self.callbackAttempts = callbackAttempts
        self.callbackNextMillis = callbackNextMillis
        self.headers = headers
    }
}
