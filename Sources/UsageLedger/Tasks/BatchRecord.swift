/// One Message Batch the router sent (or is about to send), as stored in the durable queue.
public struct BatchRecord: Sendable, Hashable {
    /// Where a batch is.
    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        /// Tasks were assigned to it; the upstream call may not have happened yet (a crash here is recovered by
        /// resubmitting, see `TaskQueue.tasksOfUnfinishedBatches`).
        case submitting
        /// The API accepted it (`upstreamBatchID` is set) and it is processing.
        case inProgress = "in_progress"
        /// Processing ended and its results were stored.
        case ended
        /// It could not be submitted or its results could not be fetched.
        case failed
        /// It was canceled.
        case canceled

        /// Whether the batch will not change any more.
        public var isFinal: Bool { self == .ended || self == .failed || self == .canceled }
    }

    /// The router's batch id.
    public var id: String
    /// The API's `msgbatch_…` id, once known.
    public var upstreamBatchID: String?
    /// Where the batch is.
    public var state: State
    /// Milliseconds since the epoch when the batch was packed.
    public var createdMillis: Int64
    /// When the API accepted it.
    public var submittedMillis: Int64?
    /// When processing ended.
    public var endedMillis: Int64?
    /// How many tasks were packed into it (what the upstream batch's `request_counts` must add up to).
    public var taskCount: Int
    /// Why the batch is stuck, when it is (e.g. its `results_url` was refused); nil otherwise.
    public var note: String?

    /// Creates a batch record.
    public init(
        id: String, upstreamBatchID: String? = nil, state: State = .submitting, createdMillis: Int64,
        submittedMillis: Int64? = nil, endedMillis: Int64? = nil, taskCount: Int = 0, note: String? = nil
    ) {
        self.id = id
        self.upstreamBatchID = upstreamBatchID
        self.state = state
        self.createdMillis = createdMillis
        self.submittedMillis = submittedMillis
        self.endedMillis = endedMillis
        self.taskCount = taskCount
        self.note = note
    }
}
