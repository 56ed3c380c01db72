import Foundation
public import Logging
public import RouterCore
public import UsageLedger

/// The durable task queue on PostgreSQL, shared by every replica: the same contract as `TaskQueue` (see there for
/// each method), and what several schedulers on one database need:
///
/// - **Each task packed once.** `markSubmitted` claims the tasks with `FOR UPDATE SKIP LOCKED` and refuses the whole
///   batch (changing nothing) unless every task is still pending and not being claimed by another replica.
/// - **Work has an owner.** A batch is owned by the replica that packed it, a synchronous run by the one that started
///   it, a callback delivery by the one that took it. Each replica renews its lease in `replicas` while it works;
///   the scheduler's views (`batches(in:)`, `releaseRuns`, `dueCallbacks`) show a replica its own work and work
///   whose owner's lease expired, which it takes over. So a killed replica's batches are polled, its runs re-queued
///   and its callbacks retried by another after `leaseMillis`, and no live replica's work is touched.
/// - **Any replica answers.** `task(id:)`, client batches and spilled results are read from the shared tables.
///
/// Calls block the calling thread on the server's answer: the service makes them on the `TaskStore`'s own thread.
public final class PostgresTaskQueue: TaskQueueProtocol, @unchecked Sendable {
    // `session` serialises callers; `lastBeat` is touched only with the session lock held (inside `heartbeat`).
    let session: PostgresSession
    let clock: any RouterClock
    /// This replica's id in `replicas` and in the `owner` columns.
    public let replicaID: String
    /// How long a replica's claim on its work outlives its last heartbeat.
    public let leaseMillis: Int64
    /// Where the usage rows this queue commits join the budgets' spend totals (the replica's ledger).
    let accounting: (any UsageAccounting)?
    private var lastBeat: Int64 = .min

    /// Connects, migrates the schema (under the advisory lock) and registers this replica.
    ///
    /// - Parameters:
    ///   - replicaID: this replica's id (default: a random one; give each replica a stable one to keep its claims
    ///     across a restart).
    ///   - leaseMillis: how long another replica waits before taking over the work of one that stopped renewing.
    ///   - accounting: adds the usage rows this queue commits (batch results, failed tasks) to the spend totals, as
    ///     part of each commit (`PostgresLedger.commit(_:_:)`); nil where nothing reads spend.
    public init(
        url: PostgresURL, clock: any RouterClock = SystemClock(), replicaID: String? = nil,
        leaseMillis: Int64 = 30_000, accounting: (any UsageAccounting)? = nil,
        logger: Logger = Logger(label: "claude-router.postgres")
    ) throws(LedgerError) {
        self.session = try PostgresSession(url: url, logger: logger)
        self.clock = clock
        self.accounting = accounting
        var rng = SystemRandomNumberGenerator()
        self.replicaID = replicaID ?? "replica-" + String(rng.next() as UInt64, radix: 36)
        self.leaseMillis = max(1_000, leaseMillis)
        try PostgresSchema.migrate(session)
        try heartbeat(force: true)
    }

    /// Closes the connection.
    public func close() { session.close() }

    /// Every replica on the database works on this queue.
    public var sharedByReplicas: Bool { true }

    /// Renews this replica's lease when a third of it has passed (or `force`).
    public func heartbeat(force: Bool = false) throws(LedgerError) {
        let now = clock.nowMillis()
        guard force || now - lastBeat >= leaseMillis / 3 else { return }
        try session.execute(
            """
            INSERT INTO replicas (id, started, lease_until) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until
            """, [.text(replicaID), .integer(now), .integer(now + leaseMillis)])
        lastBeat = now
    }

    /// Gives up this replica's lease at once (a clean shutdown): its unfinished work can be taken over now.
    public func resign() throws(LedgerError) {
        try session.execute("DELETE FROM replicas WHERE id = ?", [.text(replicaID)])
    }

    /// `owner` is this replica, nobody, or a replica whose lease expired; binds two parameters (id, now).
    static let takeable =
        "(owner IS NULL OR owner = ? OR owner NOT IN (SELECT id FROM replicas WHERE lease_until > ?))"

    static let callbackDueSQL = """
        callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END,
        callback_next = CASE WHEN callback_url IS NULL THEN NULL ELSE ? END
        """

    // MARK: - Tasks

    public func insert(_ task: DeferredTask) throws(LedgerError) {
        try Self.insert(task, session: session)
    }

    static func insert(_ task: DeferredTask, session: PostgresSession) throws(LedgerError) {
        let changed = try session.execute(
            "INSERT INTO tasks (\(TaskRows.taskColumns)) VALUES (\(TaskRows.marks(22))) ON CONFLICT (id) DO NOTHING",
            TaskRows.values(of: task))
        if changed == 0 {
            throw LedgerError(code: .invalidInput, message: "A task with id '\(task.id)' already exists")
        }
    }

    public func task(id: String) throws(LedgerError) -> DeferredTask? {
        try TaskRows.task(id: id, in: session)
    }

    public func pendingTasks(limit: Int) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.pendingTasks(limit: limit, in: session)
    }

    public func unfinishedCount(client: String) throws(LedgerError) -> Int {
        try TaskRows.unfinishedCount(client: client, in: session)
    }

    public func unfinishedTasks() throws(LedgerError) -> [DeferredTask] {
        try TaskRows.unfinishedTasks(in: session)
    }

    public func pendingCount(client: String) throws(LedgerError) -> Int {
        try TaskRows.pendingCount(client: client, in: session)
    }

    public func storeResult(taskID: String, state: DeferredTask.State, resultJSON: String?, error: String?)
        throws(LedgerError)
    {
        guard state != .submitted else {
            throw LedgerError(code: .invalidInput, message: "Use markSubmitted to submit task '\(taskID)'")
        }
        let now = clock.nowMillis()
        let changed = try session.execute(
            """
            UPDATE tasks SET state = ?, result_json = ?, error = ?, updated = ?,
                batch_id = CASE WHEN ? = 'pending' THEN NULL ELSE batch_id END
            WHERE id = ? AND state IN ('pending', 'submitted')
            """,
            [
                .text(state.rawValue), .value(resultJSON), .value(error), .integer(now), .text(state.rawValue),
                .text(taskID),
            ])
        if changed == 0 {
            throw try exists(taskID)
                ? LedgerError(code: .invalidInput, message: "Task '\(taskID)' is already finished")
                : LedgerError(code: .notFound, message: "No task with id '\(taskID)'")
        }
    }

    public func cancelPending(taskID: String, client: String) throws(LedgerError) -> Bool {
        try session.execute(
            """
            UPDATE tasks SET state = 'canceled', error = 'canceled by the client', updated = ?
            WHERE id = ? AND client = ? AND state = 'pending'
            """, [.integer(clock.nowMillis()), .text(taskID), .text(client)]) == 1
    }

    func select(_ tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [DeferredTask] {
        try TaskRows.tasks(tail, parameters, in: session)
    }

    func selectBatches(_ tail: String, _ parameters: [SQLValue]) throws(LedgerError) -> [BatchRecord] {
        try TaskRows.batches(tail, parameters, in: session)
    }

    func exists(_ id: String) throws(LedgerError) -> Bool {
        !(try session.query("SELECT 1 FROM tasks WHERE id = ?", [.text(id)]).isEmpty)
    }
}
