import Dispatch
public import UsageLedger

/// The durable task queue, reached from async code without blocking Swift's cooperative pool.
///
/// The queue is synchronous (`TaskQueue`: SQLite, each call a short transaction with `synchronous=FULL`;
/// `PostgresTaskQueue`: each call a round trip to the shared database). Every call here runs on one dedicated serial
/// `DispatchQueue` and resumes the caller when it is done, so a slow disk or database stalls this queue, never the
/// pool's threads (two on this machine: a blocked pool deadlocks the whole service).
public final class TaskStore: Sendable {
    /// The queue itself, for synchronous use off the pool (tests, tools).
    public let queue: any TaskQueueProtocol
    private let worker = DispatchQueue(label: "claude-router.task-store")

    /// Wraps an open queue.
    public init(queue: any TaskQueueProtocol) {
        self.queue = queue
    }

    /// Runs `body` on the store's thread and returns its value.
    ///
    /// - Throws: what `body` throws (`LedgerError`).
    func run<T: Sendable>(_ body: @escaping @Sendable (any TaskQueueProtocol) throws(LedgerError) -> T) async throws(LedgerError)
        -> T
    {
        let queue = self.queue
        let result: Result<T, LedgerError> = await withCheckedContinuation { continuation in
            worker.async {
                do throws(LedgerError) {
                    continuation.resume(returning: .success(try body(queue)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
