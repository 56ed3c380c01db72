public import RouterCore

/// The durable queue of deferred tasks, the batches they were packed into, client-owned pass-through batches and
/// spilled task results: `TaskQueue` (SQLite) and `PostgresTaskQueue` (shared by replicas) pass one test suite.
///
/// Every method is synchronous and commits before it returns (a task acknowledged with `202` is durable); the
/// service calls them on the `TaskStore`'s own thread, never on Swift's cooperative pool. See `TaskQueue` for what
/// each method does; the documentation there is the contract.
public protocol TaskQueueProtocol: AnyObject, Sendable {
    /// Whether other processes work on the same queue (PostgreSQL): a task this process accepted may be finished by
    /// another, so the service re-syncs its budget holds with the store.
    var sharedByReplicas: Bool { get }

    // MARK: Tasks
    func insert(_ task: DeferredTask) throws(LedgerError)
    func task(id: String) throws(LedgerError) -> DeferredTask?
    func pendingTasks(limit: Int) throws(LedgerError) -> [DeferredTask]
    func unfinishedCount(client: String) throws(LedgerError) -> Int
    func unfinishedTasks() throws(LedgerError) -> [DeferredTask]
    func pendingCount(client: String) throws(LedgerError) -> Int
    func storeResult(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?)
        throws(LedgerError)
    func cancelPending(taskID: String, client: String) throws(LedgerError) -> Bool

    // MARK: Batches
    func markSubmitted(taskIDs: [String], batch: BatchRecord, customIDs: [String: String]) throws(LedgerError)
    func updateBatch(
        id: String, upstreamBatchID: String?, state: BatchRecord.State, submittedMillis: Int64?, endedMillis: Int64?
    ) throws(LedgerError)
    func batch(id: String) throws(LedgerError) -> BatchRecord?
    func tasksOfUnfinishedBatches() throws(LedgerError) -> [DeferredTask]
    func pendingSummary() throws(LedgerError) -> TaskQueue.PendingSummary
    func depth() throws(LedgerError) -> TaskQueue.Depth
    func batches(in states: [BatchRecord.State]) throws(LedgerError) -> [BatchRecord]
    func batchesWithUpstreamID(limit: Int) throws(LedgerError) -> [BatchRecord]
    func submittedTasks(inBatch batchID: String) throws(LedgerError) -> [DeferredTask]
    func dueCallbacks(nowMillis: Int64, limit: Int) throws(LedgerError) -> [DeferredTask]
    func complete(
        taskID: String, batchID: String, state: DeferredTask.State, resultJSON: String?, error: String?,
        costNano: Int64?, usage: [UsageRecord]
    ) throws(LedgerError) -> Bool
    func requeue(taskID: String, batchID: String, error: String?, refund: Bool, usage: [UsageRecord])
        throws(LedgerError) -> Bool
    func releaseBatch(id: String, state: BatchRecord.State) throws(LedgerError) -> Int
    func recordCallback(taskID: String, state: DeferredTask.CallbackState, attempts: Int, nextMillis: Int64?)
        throws(LedgerError)
    func noteBatch(id: String, note: String?) throws(LedgerError)

    // MARK: Grouped packing and synchronous runs
    func pendingGroups(deadlineNotBefore: Int64?) throws(LedgerError) -> [TaskQueue.PendingSummary]
    func pendingTasks(limit: Int, headers: String, deadlineNotBefore: Int64?) throws(LedgerError) -> [DeferredTask]
    func pendingTasks(deadlineBefore: Int64, limit: Int) throws(LedgerError) -> [DeferredTask]
    func startRun(taskID: String) throws(LedgerError) -> DeferredTask?
    func finishRun(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?, costNano: Int64?)
        throws(LedgerError) -> Bool
    func requeueRun(taskID: String, error: String?) throws(LedgerError) -> Bool
    func releaseRuns(keeping: Set<String>) throws(LedgerError) -> Int
    func failPending(taskID: String, error: String, usage: [UsageRecord]) throws(LedgerError) -> Bool

    // MARK: Client batches of the pass-through
    func insertClientBatch(_ batch: ClientBatch, items: [(customID: String, metaJSON: String)]) throws(LedgerError)
    func clientBatch(id: String, client: String) throws(LedgerError) -> ClientBatch?
    func clientBatches(client: String, afterID: String?, beforeID: String?, limit: Int) throws(LedgerError)
        -> [ClientBatch]
    func clientBatchUpstreamIDs(limit: Int) throws(LedgerError) -> Set<String>
    func deleteClientBatch(id: String, client: String) throws(LedgerError) -> Bool
    func unrecordedItems(batchID: String, customIDs: [String]) throws(LedgerError) -> [String: String]
    func recordClientBatchResults(batchID: String, _ results: [(customID: String, rows: [UsageRecord])])
        throws(LedgerError) -> [UsageRecord]

    // MARK: Spilled synchronous results
    func spillResults(
        _ results: [(id: String, client: String, createdMillis: Int64, body: String)], expireBeforeMillis: Int64
    ) throws(LedgerError)
    func spilledResult(id: String, client: String) throws(LedgerError) -> String?

    // MARK: Metrics and budget alerts
    func stateCounts() throws(LedgerError) -> TaskQueue.StateCounts
    /// On a shared store the alert's id is unique across replicas: one replica's insert wins, so a crossing is
    /// alerted once per period however many replicas see it.
    func insertBudgetAlert(_ alert: TaskQueue.BudgetAlert) throws(LedgerError) -> Bool
    func budgetAlertIDs(periodStartFrom fromDay: Int64) throws(LedgerError) -> Set<String>
    /// On a shared store the alerts returned are claimed (their next attempt moved past the delivery's lease), so
    /// two replicas never post the same alert at once; `recordBudgetAlert` sets the real next attempt.
    func dueBudgetAlerts(nowMillis: Int64, limit: Int) throws(LedgerError) -> [TaskQueue.BudgetAlert]
    func budgetAlert(id: String) throws(LedgerError) -> TaskQueue.BudgetAlert?
    func recordBudgetAlert(id: String, state: TaskQueue.BudgetAlert.State, attempts: Int, nextMillis: Int64?)
        throws(LedgerError)
}

/// The defaulted forms of the requirements, as `TaskQueue` offers them.
extension TaskQueueProtocol {
    public func storeResult(taskID: String, state: DeferredTask.State) throws(LedgerError) {
        try storeResult(taskID: taskID, state: state, resultJSON: nil, error: nil)
    }
    public func markSubmitted(taskIDs: [String], batch: BatchRecord) throws(LedgerError) {
        try markSubmitted(taskIDs: taskIDs, batch: batch, customIDs: [:])
    }
    public func updateBatch(id: String, state: BatchRecord.State) throws(LedgerError) {
        try updateBatch(id: id, upstreamBatchID: nil, state: state, submittedMillis: nil, endedMillis: nil)
    }
    public func updateBatch(id: String, state: BatchRecord.State, endedMillis: Int64?) throws(LedgerError) {
        try updateBatch(id: id, upstreamBatchID: nil, state: state, submittedMillis: nil, endedMillis: endedMillis)
    }
    public func updateBatch(id: String, upstreamBatchID: String?, state: BatchRecord.State, submittedMillis: Int64?)
        throws(LedgerError)
    {
        try updateBatch(
            id: id, upstreamBatchID: upstreamBatchID, state: state, submittedMillis: submittedMillis, endedMillis: nil)
    }
    public func batchesWithUpstreamID() throws(LedgerError) -> [BatchRecord] {
        try batchesWithUpstreamID(limit: 10_000)
    }
    public func clientBatchUpstreamIDs() throws(LedgerError) -> Set<String> {
        try clientBatchUpstreamIDs(limit: 10_000)
    }
    public func releaseBatch(id: String) throws(LedgerError) -> Int { try releaseBatch(id: id, state: .failed) }
    public func complete(
        taskID: String, batchID: String, state: DeferredTask.State, resultJSON: String?, costNano: Int64?,
        usage: [UsageRecord]
    ) throws(LedgerError) -> Bool {
        try complete(
            taskID: taskID, batchID: batchID, state: state, resultJSON: resultJSON, error: nil, costNano: costNano,
            usage: usage)
    }
    public func complete(
        taskID: String, batchID: String, state: DeferredTask.State, error: String?, usage: [UsageRecord]
    ) throws(LedgerError) -> Bool {
        try complete(
            taskID: taskID, batchID: batchID, state: state, resultJSON: nil, error: error, costNano: nil, usage: usage)
    }
    public func requeue(taskID: String, batchID: String, error: String?, usage: [UsageRecord]) throws(LedgerError)
        -> Bool
    {
        try requeue(taskID: taskID, batchID: batchID, error: error, refund: false, usage: usage)
    }
    public func pendingGroups() throws(LedgerError) -> [TaskQueue.PendingSummary] {
        try pendingGroups(deadlineNotBefore: nil)
    }
}

extension TaskQueue: TaskQueueProtocol {
    /// One process owns a SQLite queue.
    public var sharedByReplicas: Bool { false }
}
