import Foundation
import RouterCore

extension LedgerWriteQueue {
    /// The writer thread: takes batches from the queue, has `writer` commit them, releases the waiters their
    /// commit satisfies, retries failures, and on close commits what is left and releases everyone.
    func run(_ writer: some LedgerBatchWriter) {
        let interval = configuration.commitInterval.timeInterval
        condition.lock()
        while true {
            while state.queue.isEmpty && state.blocked.isEmpty && !state.closing {
                if let idleWake {
                    if !condition.wait(until: Date(timeIntervalSinceNow: idleWake.timeInterval)) { break }
                } else {
                    condition.wait()
                }
            }
            if state.queue.isEmpty && state.blocked.isEmpty && state.closing { break }
            // Gather rows for one transaction: until the interval since the first row has passed, the queue is
            // full, or someone waits (flush, close, a synchronous caller, a blocked caller).
            if interval > 0 && !state.queue.isEmpty {
                let deadline = Date(timeIntervalSinceNow: interval)
                while !mustCommitNow() {
                    if !condition.wait(until: deadline) { break }
                }
            }
            var batch: [UsageRecord] = []
            swap(&batch, &state.queue)
            var resumed: [CheckedContinuation<Void, Never>] = []
            admitBlocked(into: &resumed)
            state.flushRequested = false
            let upToStart = state.committed
            condition.unlock()
            for continuation in resumed { continuation.resume() }

            let (written, transactions, outcome) = writer.commit(batch)
            writer.afterPass(written: written)
            let upTo = upToStart + Int64(written)

            condition.lock()
            state.transactions += transactions
            var committedWaiters: [CheckedContinuation<Void, Never>] = []
            var flushed: [(CheckedContinuation<LedgerError?, Never>, LedgerError?)] = []
            state.committed = upTo
            if outcome == nil, state.lastError?.code != .closed { state.lastError = nil }
            state.commitWaiters.removeAll { waiter in
                guard waiter.sequence <= upTo else { return false }
                committedWaiters.append(waiter.continuation)
                return true
            }
            state.flushWaiters.removeAll { waiter in
                guard waiter.sequence <= upTo else { return false }
                flushed.append((waiter.continuation, nil))
                return true
            }
            if let outcome {
                state.lastError = outcome
                // Keep the unwritten rows, in order, ahead of anything queued since.
                state.queue = Array(batch[written...]) + state.queue
                for waiter in state.flushWaiters { flushed.append((waiter.continuation, outcome)) }
                state.flushWaiters = []
            }
            let giveUp = outcome != nil && state.closing
            condition.unlock()
            for continuation in committedWaiters { continuation.resume() }
            for (continuation, error) in flushed { continuation.resume(returning: error) }
            condition.lock()
            if giveUp { break }
            if outcome != nil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: configuration.retryDelay.timeInterval))
            }
        }
        finish(writer)
    }

    /// Closing (called with the lock held, returns without it): reports what could not be written and releases
    /// everyone still waiting.
    private func finish(_ writer: some LedgerBatchWriter) {
        let unwritten = state.accepted - state.committed
        var finalError: LedgerError? = nil
        if unwritten > 0 {
            let cause = state.lastError
            finalError = LedgerError(
                code: cause?.code ?? .closed,
                message: "The ledger \(name) closed with \(unwritten) row(s) not written: "
                    + (cause?.message ?? "unknown error"),
                sqliteCode: cause?.sqliteCode)
            state.lastError = finalError
        }
        state.finished = true
        let closeWaiters = state.closeWaiters
        let flushWaiters = state.flushWaiters
        let commitWaiters = state.commitWaiters
        let blocked = state.blocked
        state.closeWaiters = []
        state.flushWaiters = []
        state.commitWaiters = []
        state.blocked = []
        condition.unlock()
        writer.stopped()
        for waiter in commitWaiters { waiter.continuation.resume() }
        for waiter in blocked { waiter.continuation.resume() }
        for waiter in flushWaiters { waiter.continuation.resume(returning: finalError) }
        for continuation in closeWaiters { continuation.resume(returning: finalError) }
    }

    /// True when the writer should stop gathering and commit (called with the lock held).
    private func mustCommitNow() -> Bool {
        state.closing || state.flushRequested || !state.commitWaiters.isEmpty || !state.blocked.isEmpty
            || state.queue.count >= configuration.queueCapacity
    }

    /// Moves blocked rows into the (just emptied) queue in order; collects the callers to resume.
    private func admitBlocked(into resumed: inout [CheckedContinuation<Void, Never>]) {
        guard !state.blocked.isEmpty else { return }
        let room = configuration.queueCapacity - state.queue.count
        let admitted = state.blocked.prefix(room)
        for entry in admitted {
            state.queue.append(entry.row)
            if synchronous {
                state.commitWaiters.append((entry.sequence, entry.continuation))
            } else {
                resumed.append(entry.continuation)
            }
        }
        state.blocked.removeFirst(admitted.count)
    }
}
