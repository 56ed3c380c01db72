import CCurl
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libcurl multi handle and what drives it: its own thread (below), or a caller's serial executor, such as a
/// server's event loop, with a thread that only watches sockets (`MultiLoop+Executor.swift`).
///
/// Driven by its own thread: other threads never touch the multi handle or a running easy handle. They append a
/// `Command` to the inbox (under a Mutex) and write a byte to the loop's wake-up pipe. The loop drains the inbox,
/// waits in `poll(2)` on the sockets libcurl asked it to watch (`CURLMOPT_SOCKETFUNCTION`) and the pipe, and tells
/// libcurl which socket is ready with `curl_multi_socket_action`, firing libcurl's timer (`CURLMOPT_TIMERFUNCTION`)
/// when it is due.
///
/// Why not `curl_multi_perform` + `curl_multi_poll`: each `perform` walks every transfer and, for each one without
/// a known readiness, checks its socket with its own `poll(2)`; with `socket_action` libcurl touches only the
/// transfers on the ready socket, so a wake-up costs the same with 1 or 500 transfers running.
///
/// Callers are resumed in one batch per iteration, just before the loop sleeps (`flushWakes`): a small response's
/// head, body and end usually arrive in one iteration, and its caller then wakes once instead of three times.
/// Cross-thread wake-ups were the largest cost in the profile (docs/upstream-curl.md).
///
/// `@unchecked Sendable`: `multi`, `running`, the socket tables and the timer are used only on the loop thread (the
/// executor's thread when there is one; the wake-up write aside: the pipe is closed only in `deinit`, when no caller
/// holds the loop any more); the inbox is behind its Mutex, counters are atomics, the pool and the URL cache are
/// themselves Sendable.
final class MultiLoop: @unchecked Sendable {
    enum Command {
        case add(Transfer)
        case cancel(Transfer)
        case resume(Transfer)
        case shutdown
    }

    enum Phase {
        case running
        case stopping
        case stopped
    }

    struct Inbox {
        var commands: [Command] = []
        var wakeupPending = false
        var phase = Phase.running
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let pool: EasyHandlePool
    /// Parsed URLs shared by transfers (`CURLOPT_CURLU`), freed once the multi handle is gone.
    let urls = ParsedURLCache(capacity: 64)
    let counters = Counters()
    let multi: UnsafeMutableRawPointer
    let inbox = Mutex(Inbox())
    /// The serial executor that drives the handle, or `nil` for the loop's own thread.
    let executor: (any CurlLoopExecutor)?
    /// With an executor: the epoll set of libcurl's sockets, and the eventfd that stops the thread watching it.
    let epoll: Int32
    let stopEvent: Int32
    /// The wake-up pipe (own thread only): other threads write to `wakeWrite`, the loop polls `wakeRead`.
    let wakeRead: Int32
    let wakeWrite: Int32
    // Loop thread only.
    var running: [EasyHandle: Transfer] = [:]
    /// Shutdown began: running transfers were cancelled, new ones are refused.
    var stopping = false
    /// The multi handle is freed (executor only: jobs queued before that find nothing to do).
    var finished = false
    /// With an executor: the sockets libcurl wants watched, with `CURL_POLL_*`, and whether their one-shot watch is
    /// armed (see `watchOnce`).
    var watched: [Int32: (what: Int32, armed: Bool)] = [:]
    /// With an executor: the earliest deadline a timer job is scheduled for, and whether an immediate one is queued.
    var timerScheduledFor: UInt64?
    var timerImmediate = false
    /// With an executor: whether `drain` is running (so a command from the same thread waits for its next round).
    var draining = false
    /// With an executor: ready sockets the watcher thread queued (two arrays swapped, so neither reallocates), and
    /// whether a job to take them is already posted.
    let readyInbox = Mutex(ReadyInbox())
    var readyBatch: [ReadySocket] = []
    /// With an executor: the commands `drain` is carrying out.
    var drainBatch: [Command] = []
    /// With an executor: whether a job that ends with `endJob` is running (libcurl's timer callback then only
    /// records the deadline).
    var inJob = false
    /// The sockets libcurl wants watched, and for which `poll` events.
    var sockets: [Int32: Int16] = [:]
    /// `poll`'s array: the wake-up pipe first, then `sockets`; rebuilt when `socketsChanged`.
    var pollSet: [pollfd] = []
    var socketsChanged = true
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)` (monotonic nanoseconds), if at all.
    var timerDeadline: UInt64?
    /// Callers to resume before the loop next sleeps (see `Transfer.Wake`).
    private var wakes: [Transfer.Wake] = []

    /// A multi handle driven by `executor`, or by a thread of its own when that is `nil` (and on systems without
    /// epoll).
    init(configuration: CurlHTTPClient.Configuration, executor: (any CurlLoopExecutor)? = nil) {
        guard let multi = curl_multi_init() else { fatalError("libcurl could not allocate a multi handle") }
        self.multi = multi
        self.pool = EasyHandlePool(capacity: max(16, configuration.connectionCacheSize))
        #if os(Linux)
            let watcher = executor.flatMap { _ in Self.makeWatchSet() }
        #else
            let watcher: (Int32, Int32)? = nil
        #endif
        if let watcher {
            self.executor = executor
            (epoll, stopEvent) = watcher
            (wakeRead, wakeWrite) = (-1, -1)
        } else {
            self.executor = nil
            (epoll, stopEvent) = (-1, -1)
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { fatalError("the client could not create its wake-up pipe") }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            (wakeRead, wakeWrite) = (fds[0], fds[1])
        }
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxTotalConnections)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.connectionCacheSize)
        // Unretained: the loop thread's closure holds the loop until the multi handle (and its callbacks) is gone.
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        _ = ccurl_multi_setopt_socket_callback(multi, CURLMOPT_SOCKETFUNCTION) { _, socket, what, context, _ in
            Unmanaged<MultiLoop>.fromOpaque(context!).takeUnretainedValue().watch(socket: socket, what: what)
            return 0
        }
        _ = ccurl_multi_setopt_timer_callback(multi, CURLMOPT_TIMERFUNCTION) { _, milliseconds, context in
            Unmanaged<MultiLoop>.fromOpaque(context!).takeUnretainedValue().setTimer(milliseconds: milliseconds)
            return 0
        }
        let thread = Thread { [self] in
            #if os(Linux)
                if self.executor != nil { return watchSockets() }
            #endif
            run()
        }
        thread.name = executor == nil ? "curl-multi" : "curl-watch"
        thread.start()
    }

    deinit {
        if wakeRead >= 0 {
            close(wakeRead)
            close(wakeWrite)
        }
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

    /// Appends a command under the inbox lock, then writes the wake-up byte outside it, and only when the loop is
    /// asleep (or about to sleep) with no byte already pending: while the loop is awake it drains the inbox again
    /// before it next sleeps (`run`), so concurrent callers coalesce into at most one `write(2)` per sleep.
    private func enqueue(_ command: Command, onlyWhileRunning: Bool) -> Bool {
        let outcome = inbox.withLock { inbox -> (accepted: Bool, wake: Bool) in
            switch inbox.phase {
            case .stopped: return (false, false)
            case .stopping where onlyWhileRunning: return (false, false)
            default: break
            }
            if case .shutdown = command { inbox.phase = .stopping }
            inbox.commands.append(command)
            guard !inbox.wakeupPending else { return (true, false) }
            inbox.wakeupPending = true
            return (true, true)
        }
        guard outcome.wake else { return outcome.accepted }
        if let executor {
            if executor.isCurrent && !draining { drain() } else { executor.execute { self.drain() } }
        } else {
            wakeThread()
        }
        return outcome.accepted
    }

    // MARK: Loop thread (or executor)

    /// Carries out commands taken from the inbox (loop thread).
    func perform(_ batch: [Command]) {
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
    }

    /// Once shutdown began and nothing runs: frees the multi handle unless commands are still waiting in the inbox,
    /// and wakes whoever waits in `shutdown()`. Returns whether it did (loop thread).
    func finishIfStopped() -> Bool {
        guard stopping, running.isEmpty, !finished else { return finished }
        flushWakes()
        let waiters = inbox.withLock { inbox -> [CheckedContinuation<Void, Never>]? in
            guard inbox.commands.isEmpty else { return nil }
            inbox.phase = .stopped
            defer { inbox.shutdownWaiters = [] }
            return inbox.shutdownWaiters
        }
        guard let waiters else { return false }
        finished = true
        curl_multi_cleanup(multi)
        pool.close()
        urls.close()
        #if os(Linux)
            if executor != nil { stopWatching() }
        #endif
        for waiter in waiters { waiter.resume() }
        return true
    }

    /// Queues a caller's wake-up until the end of this loop iteration (multi thread only).
    func deferWake(_ wake: Transfer.Wake) {
        wakes.append(wake)
    }

    /// Resumes every queued caller, in the order their results arrived.
    func flushWakes() {
        guard !wakes.isEmpty else { return }
        for wake in wakes { wake.run() }
        wakes.removeAll(keepingCapacity: true)
    }

    func fireTimerIfDue() {
        guard let deadline = timerDeadline, deadline <= Self.monotonicNanoseconds() else { return }
        timerDeadline = nil
        var stillRunning: Int32 = 0
        curl_multi_socket_action(multi, ccurl_socket_timeout(), 0, &stillRunning)
    }

    /// libcurl's socket callback: watch `socket` for `what` (`CURL_POLL_IN/OUT/INOUT`), or stop (`REMOVE`).
    private func watch(socket: Int32, what: Int32) {
        #if os(Linux)
            if executor != nil { return watchOnce(socket: socket, what: what) }
        #endif
        watchPolled(socket: socket, what: what)
    }

    /// libcurl's timer callback: -1 removes the timer, otherwise call back after `milliseconds` (0: at once).
    private func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : Self.monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
        #if os(Linux)
            if executor != nil && !inJob { scheduleTimer() }
        #endif
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
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

    func completeFinished() {
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
    /// A socket the watcher found ready, with its readiness as `CURL_CSELECT_*` bits.
    struct ReadySocket {
        var socket: Int32
        var flags: Int32
    }

    /// What the watcher thread hands to the executor.
    struct ReadyInbox {
        var ready: [ReadySocket] = []
        var posted = false
    }

    /// Counters the client reports as metrics.
    final class Counters: Sendable {
        let active = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        let completed = Atomic<Int>(0)
        let connectionsOpened = Atomic<Int>(0)
    }
}
