import Foundation
package import RouterCore

/// The queue between a ledger's `record` and its writer thread, shared by `Ledger` (SQLite) and `PostgresLedger`:
/// sequence numbers, the bounded queue and the callers parked on it, commit and flush waiters, the retry of a failed
/// commit, and close. What a commit writes is the ledger's own (`LedgerBatchWriter`).
///
/// - The queue is bounded (`LedgerConfiguration.queueCapacity`): when it is full, `record` suspends until the writer
///   has taken rows, so rows are never dropped and a stalled database slows callers instead of growing memory.
/// - With a synchronous configuration (`commitInterval` zero) `record` returns once its row is committed.
/// - A failed commit keeps its rows at the head of the queue and is retried after `retryDelay`; `lastError` says
///   why, and `flush()` returns it.
/// - `close()` commits everything queued and stops the writer thread; until then the thread keeps the writer alive.
///
/// The state is protected by one `NSCondition` (the writer sleeps on it); continuations are resumed outside it.
package final class LedgerWriteQueue: @unchecked Sendable {
    struct Blocked {
        var sequence: Int64
        var row: UsageRecord
        var continuation: CheckedContinuation<Void, Never>
    }
    struct State {
        var queue: [UsageRecord] = []
        /// Rows whose `record` found the queue full, in arrival order.
        var blocked: [Blocked] = []
        /// Synchronous-mode callers waiting for their row's commit.
        var commitWaiters: [(sequence: Int64, continuation: CheckedContinuation<Void, Never>)] = []
        var flushWaiters: [(sequence: Int64, continuation: CheckedContinuation<LedgerError?, Never>)] = []
        /// Rows accepted by `record` so far (blocked ones included); a row's sequence number is its position here.
        var accepted: Int64 = 0
        /// Rows committed so far (always a prefix of the accepted rows).
        var committed: Int64 = 0
        var flushRequested = false
        var closing = false
        var finished = false
        var closeWaiters: [CheckedContinuation<LedgerError?, Never>] = []
        var lastError: LedgerError?
        var rejectedAfterClose = 0
        /// Transactions committed by the writer (tests check that a long batch is split by time).
        var transactions = 0
    }

    let configuration: LedgerConfiguration
    /// How errors name the ledger (a quoted path, a URL without its password).
    let name: String
    /// How long an idle writer sleeps before a pass that commits nothing (nil: until there is work).
    let idleWake: Duration?
    let condition = NSCondition()
    var state = State()

    /// A queue that is not yet drained: call `start(writer:threadName:)`.
    ///
    /// - Parameters:
    ///   - name: how errors name the ledger.
    ///   - idleWake: how often an idle writer makes a pass anyway (its `afterPass` runs); nil for never.
    package init(configuration: LedgerConfiguration, name: String, idleWake: Duration? = nil) {
        self.configuration = configuration
        self.name = name
        self.idleWake = idleWake
    }

    /// Starts the writer thread, which commits with `writer` until `close()`.
    package func start(writer: some LedgerBatchWriter, threadName: String) {
        let thread = Thread { [self] in self.run(writer) }
        thread.name = threadName
        thread.start()
    }

    /// True when `record` waits for its row's commit.
    var synchronous: Bool { configuration.commitInterval <= .zero }

    // MARK: - Recording

    /// Queues `row` for the next commit.
    ///
    /// Suspends while the queue is full; with a synchronous configuration, also until the row is committed.
    /// A row recorded after `close()` is not written: it is counted in `lastError` (`.closed`).
    ///
    /// - Parameter accepted: called with the row's sequence number, under the lock, once the row is accepted (not
    ///   for a refused row); before the row can be committed.
    package func record(_ row: UsageRecord, accepted: (Int64) -> Void = { _ in }) async {
        // Fast path: room in the queue and no one to wait for, so no continuation and no suspension (creating
        // and resuming one costs more than the rest of `record` together).
        if !synchronous && enqueueIfRoom(row, accepted: accepted) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if state.closing {
                state.rejectedAfterClose += 1
                state.lastError = LedgerError(
                    code: .closed,
                    message: "\(state.rejectedAfterClose) row(s) were recorded after the ledger \(name) was"
                        + " closed and not written: close the ledger only after the service stops recording")
                condition.unlock()
                continuation.resume()
                return
            }
            state.accepted += 1
            let sequence = state.accepted
            accepted(sequence)
            var resumeNow = false
            if state.queue.count < configuration.queueCapacity && state.blocked.isEmpty {
                state.queue.append(row)
                if synchronous {
                    state.commitWaiters.append((sequence, continuation))
                    condition.signal()
                } else {
                    resumeNow = true
                    if state.queue.count == 1 || state.queue.count >= configuration.queueCapacity {
                        condition.signal()
                    }
                }
            } else {
                state.blocked.append(Blocked(sequence: sequence, row: row, continuation: continuation))
                condition.signal()
            }
            condition.unlock()
            if resumeNow { continuation.resume() }
        }
    }

    /// Queues `row` when there is room and nobody is ahead of it; false when the caller must take the slow path.
    private func enqueueIfRoom(_ row: UsageRecord, accepted: (Int64) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !state.closing && state.blocked.isEmpty && state.queue.count < configuration.queueCapacity else {
            return false
        }
        state.accepted += 1
        accepted(state.accepted)
        state.queue.append(row)
        if state.queue.count == 1 || state.queue.count >= configuration.queueCapacity { condition.signal() }
        return true
    }

    /// Commits every row recorded before the call, then returns.
    ///
    /// - Returns: the writer's error when the commit failed (the rows stay queued and are retried); nil once they
    ///   are committed.
    package func flush() async -> LedgerError? {
        await withCheckedContinuation { continuation in
            condition.lock()
            if state.committed >= state.accepted {
                condition.unlock()
                continuation.resume(returning: nil)
                return
            }
            if state.finished {
                let error = state.lastError
                condition.unlock()
                continuation.resume(returning: error)
                return
            }
            state.flushWaiters.append((state.accepted, continuation))
            state.flushRequested = true
            condition.signal()
            condition.unlock()
        }
    }

    /// Commits everything queued and stops the writer. Later calls return nil at once.
    ///
    /// - Returns: the last commit's error when rows could not be written (the message says how many); nil otherwise.
    package func close() async -> LedgerError? {
        await withCheckedContinuation { continuation in
            condition.lock()
            if state.finished {
                condition.unlock()
                continuation.resume(returning: nil)
                return
            }
            state.closing = true
            state.closeWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    // MARK: - State

    /// The last write error, cleared by the next successful commit; nil when all is well.
    package var lastError: LedgerError? { locked { $0.lastError } }

    /// Rows recorded and not yet committed (queued, blocked or being written).
    package var pendingCount: Int { locked { Int($0.accepted - $0.committed) } }

    /// Record calls parked on the full queue.
    package var blockedCount: Int { locked { $0.blocked.count } }

    /// Transactions the writer has committed so far.
    package var transactionCount: Int { locked { $0.transactions } }

    /// Rows committed so far: every row whose sequence number is at most this.
    package var committedCount: Int64 { locked { $0.committed } }

    private func locked<T>(_ read: (State) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return read(state)
    }
}
