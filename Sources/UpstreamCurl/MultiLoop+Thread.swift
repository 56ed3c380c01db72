import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Driving the multi handle from its own thread (`CurlHTTPClient(configuration:)`, `serve --upstream-driver thread`):
/// the thread takes the inbox's commands, waits in `poll(2)` on libcurl's sockets and the wake-up pipe, and hands
/// each ready socket to libcurl. See `MultiLoop` for the design.
extension MultiLoop {
    /// Wakes the thread from `poll` (any thread; called outside the inbox lock). The pipe's descriptors stay open
    /// until the loop object is freed (`deinit`), and the caller holds the loop, so the write never reaches a closed
    /// or reused descriptor.
    func wakeThread() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// The own thread's loop: commands, libcurl's timer, finished transfers, the callers they wake, then `poll`;
    /// returns once shutdown has freed the multi handle.
    func run() {
        var batch: [Command] = []
        while true {
            // Awake: until the loop clears `wakeupPending` just before it sleeps, callers append without writing.
            inbox.withLock { inbox in
                swap(&batch, &inbox.commands)
                inbox.wakeupPending = true
            }
            perform(batch)
            batch.removeAll(keepingCapacity: true)
            if stopping && running.isEmpty {
                if finishIfStopped() { return }
                continue
            }
            fireTimerIfDue()
            completeFinished()
            flushWakes()
            // About to sleep: once `wakeupPending` is false, the next caller writes the wake-up byte. If commands
            // arrived while the loop was awake, it polls without sleeping (sockets are still served every
            // iteration, so a steady stream of commands cannot starve them) and takes the commands next iteration.
            let commandsWaiting = inbox.withLock { inbox -> Bool in
                if !inbox.commands.isEmpty { return true }
                inbox.wakeupPending = false
                return false
            }
            waitAndDispatch(sleeping: !commandsWaiting)
            completeFinished()
        }
    }

    /// Sleeps in `poll` until a watched socket is ready, the pipe is written or libcurl's timer is due (at most
    /// 1 s), then hands each ready socket to libcurl. With `sleeping` false it only looks (timeout 0).
    private func waitAndDispatch(sleeping: Bool) {
        if socketsChanged {
            pollSet.removeAll(keepingCapacity: true)
            pollSet.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for (fd, events) in sockets { pollSet.append(pollfd(fd: fd, events: events, revents: 0)) }
            socketsChanged = false
        }
        var timeout: Int32 = sleeping ? 1000 : 0
        if sleeping, let deadline = timerDeadline {
            let now = Self.monotonicNanoseconds()
            timeout = deadline <= now ? 0 : Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
        }
        let ready = pollSet.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
        guard ready > 0 else { return }
        // libcurl's socket callbacks change `sockets` (and mark the set stale) while we dispatch, never `pollSet`,
        // which is rebuilt only above; `poll` rewrites every `revents`, so nothing here needs resetting.
        for index in pollSet.indices {
            let entry = pollSet[index]
            guard entry.revents != 0 else { continue }
            if index == 0 {
                // A short read emptied the pipe: one `read(2)` per wake-up, not a second one to see EAGAIN. A byte
                // written after it makes the next `poll` return at once, so none is missed.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { sink in
                    while read(wakeRead, sink.baseAddress, sink.count) == sink.count {}
                }
                continue
            }
            var flags: Int32 = 0
            if entry.revents & Int16(POLLIN | POLLHUP | POLLPRI) != 0 { flags |= CURL_CSELECT_IN }
            if entry.revents & Int16(POLLOUT) != 0 { flags |= CURL_CSELECT_OUT }
            if entry.revents & Int16(POLLERR | POLLNVAL) != 0 { flags |= CURL_CSELECT_ERR }
            var stillRunning: Int32 = 0
            curl_multi_socket_action(multi, entry.fd, flags, &stillRunning)
        }
    }

    /// libcurl's socket callback on the own thread: watch `socket` for `what` (`CURL_POLL_IN/OUT/INOUT`) in the next
    /// `poll`, or stop (`REMOVE`).
    func watchPolled(socket: Int32, what: Int32) {
        var events: Int16 = 0
        switch what {
        case CURL_POLL_IN: events = Int16(POLLIN)
        case CURL_POLL_OUT: events = Int16(POLLOUT)
        case CURL_POLL_INOUT: events = Int16(POLLIN | POLLOUT)
        default: break
        }
        if events == 0 {
            if sockets.removeValue(forKey: socket) != nil { socketsChanged = true }
        } else if sockets[socket] != events {
            sockets[socket] = events
            socketsChanged = true
        }
    }
}
