import CCurl
import Foundation
import Synchronization

/// The thread that owns the libcurl multi handle and drives every transfer.
///
/// Other threads never touch the multi handle or a running easy handle: they append a `Command` to the inbox
/// (under a Mutex) and call `curl_multi_wakeup`, the only multi call libcurl allows from another thread. The loop
/// drains the inbox, runs `curl_multi_perform`, completes finished transfers and sleeps in `curl_multi_poll`.
///
/// `@unchecked Sendable`: `multi` and `running` are used only on the loop thread (the wakeup aside, which happens
/// under the inbox lock so it can never race the handle's cleanup); the inbox is behind its Mutex, counters are
/// atomics, the pool is itself Sendable.
final class MultiLoop: @unchecked Sendable {
    enum Command {
        case add(Transfer)
        case cancel(Transfer)
        case resume(Transfer)
        case shutdown
    }

    private enum Phase {
        case running
        case stopping
        case stopped
    }

    private struct Inbox {
        var commands: [Command] = []
        var wakeupPending = false
        var phase = Phase.running
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let pool: EasyHandlePool
    let counters = Counters()
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    // Loop thread only.
    private var running: [EasyHandle: Transfer] = [:]

    init(configuration: CurlHTTPClient.Configuration) {
        guard let multi = curl_multi_init() else { fatalError("libcurl could not allocate a multi handle") }
        self.multi = multi
        self.pool = EasyHandlePool(capacity: max(16, configuration.connectionCacheSize))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxTotalConnections)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.connectionCacheSize)
        let thread = Thread { [self] in run() }
        thread.name = "curl-multi"
        thread.start()
    }

    // MARK: Any thread

    /// Hands a configured transfer to the loop; `false` once shutdown began (the caller then fails it itself).
    func submit(_ transfer: Transfer) -> Bool {
        enqueue(.add(transfer), onlyWhileRunning: true)
    }

    /// Stops a transfer at once (or stops it from starting): its handle is freed and its waiters get `cancelled`.
    func cancel(_ transfer: Transfer) {
        guard transfer.requestCancel() else { return }
        _ = enqueue(.cancel(transfer), onlyWhileRunning: false)
    }

    /// Resumes a transfer paused for backpressure, from the loop thread as libcurl requires.
    func resume(_ transfer: Transfer) {
        _ = enqueue(.resume(transfer), onlyWhileRunning: false)
    }

    /// Begins shutdown without waiting: running transfers are cancelled, new ones refused.
    func requestShutdown() {
        _ = enqueue(.shutdown, onlyWhileRunning: true)
    }

    /// Shuts down and waits until the loop thread has cancelled everything and freed the multi handle.
    func shutdown() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let stopped = inbox.withLock { inbox -> Bool in
                if inbox.phase == .stopped { return true }
                inbox.shutdownWaiters.append(waiter)
                return false
            }
            if stopped {
                waiter.resume()
            } else {
                requestShutdown()
            }
        }
    }

    private func enqueue(_ command: Command, onlyWhileRunning: Bool) -> Bool {
        inbox.withLock { inbox in
            switch inbox.phase {
            case .stopped: return false
            case .stopping where onlyWhileRunning: return false
            default: break
            }
            if case .shutdown = command { inbox.phase = .stopping }
            inbox.commands.append(command)
            if !inbox.wakeupPending {
                inbox.wakeupPending = true
                // Under the lock: the loop frees the multi handle only after marking itself stopped under the same
                // lock, so this can never wake a freed handle.
                curl_multi_wakeup(multi)
            }
            return true
        }
    }

    // MARK: Loop thread

    private func run() {
        var batch: [Command] = []
        var stopping = false
        var stillRunning: Int32 = 0
        while true {
            inbox.withLock { inbox in
                swap(&batch, &inbox.commands)
                inbox.wakeupPending = false
            }
            for command in batch {
                switch command {
                case .add(let transfer): start(transfer, refusing: stopping)
                case .cancel(let transfer): stop(transfer, outcome: nil)
                case .resume(let transfer):
                    if transfer.isInMulti, let easy = transfer.easy { curl_easy_pause(easy.raw, ccurl_pause_cont()) }
                case .shutdown:
                    stopping = true
                    for transfer in Array(running.values) {
                        _ = transfer.requestCancel()
                        stop(transfer, outcome: nil)
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            if stopping && running.isEmpty {
                let waiters = inbox.withLock { inbox -> [CheckedContinuation<Void, Never>]? in
                    guard inbox.commands.isEmpty else { return nil }
                    inbox.phase = .stopped
                    defer { inbox.shutdownWaiters = [] }
                    return inbox.shutdownWaiters
                }
                if let waiters {
                    curl_multi_cleanup(multi)
                    pool.close()
                    for waiter in waiters { waiter.resume() }
                    return
                }
                continue
            }
            curl_multi_perform(multi, &stillRunning)
            completeFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ transfer: Transfer, refusing: Bool) {
        counters.started.add(1, ordering: .relaxed)
        guard !refusing, !transfer.shared.withLock({ $0.cancelRequested }), let easy = transfer.easy else {
            // A transfer cancelled before it reached the loop ends here; `finish` reports it as cancelled.
            transfer.releaseHandle()
            transfer.finish(refusing ? UpstreamError(code: .cancelled, message: "the client is shutting down") : nil)
            counters.completed.add(1, ordering: .relaxed)
            return
        }
        let code = curl_multi_add_handle(multi, easy.raw)
        guard code == CURLM_OK else {
            transfer.releaseHandle()
            let message = String(cString: curl_multi_strerror(code))
            transfer.finish(UpstreamError(code: .other, message: message))
            counters.completed.add(1, ordering: .relaxed)
            return
        }
        transfer.isInMulti = true
        running[easy] = transfer
        counters.active.add(1, ordering: .relaxed)
    }

    /// Removes a transfer from the multi handle, frees its handle, then wakes its waiters with the outcome.
    private func stop(_ transfer: Transfer, outcome: UpstreamError?) {
        guard transfer.isInMulti, let easy = transfer.easy else { return }
        var connects = 0
        _ = ccurl_easy_getinfo_long(easy.raw, CURLINFO_NUM_CONNECTS, &connects)
        counters.connectionsOpened.add(connects, ordering: .relaxed)
        curl_multi_remove_handle(multi, easy.raw)
        transfer.isInMulti = false
        running[easy] = nil
        counters.active.subtract(1, ordering: .relaxed)
        transfer.releaseHandle()
        counters.completed.add(1, ordering: .relaxed)
        transfer.finish(outcome)
    }

    private func completeFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle else { continue }
            // Read the result before curl_multi_remove_handle invalidates the message.
            let result = message.pointee.data.result
            guard let transfer = running[EasyHandle(raw: raw)] else { continue }
            let outcome =
                result == CURLE_OK
                ? nil
                : UpstreamError(
                    curlCode: result, detail: transfer.curlErrorDetail, receivedResponse: transfer.responseStarted)
            stop(transfer, outcome: outcome)
        }
    }
}

extension MultiLoop {
    /// Counters the client reports as metrics.
    final class Counters: Sendable {
        let active = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        let completed = Atomic<Int>(0)
        let connectionsOpened = Atomic<Int>(0)
    }
}
