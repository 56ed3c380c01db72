import CCurl
import Synchronization

#if os(Linux)
    import Glibc

    /// Driving the multi handle from a serial executor (a server's event loop) instead of the loop's own thread.
    ///
    /// Everything that touches libcurl runs as a job on the executor: commands (`drain`, at once when the caller is
    /// already on the executor's thread), ready sockets (`dispatch`) and libcurl's timer (`fireTimer`). A request
    /// made on the executor's thread is therefore added and sent by libcurl before its caller suspends, with no
    /// wake-up of another thread. The only other thread waits in `epoll_wait` on the sockets libcurl asked to watch
    /// (`watchSockets`) and posts each batch of ready ones to the executor: one wake-up per response instead of the
    /// two (to the multi thread and back) of the own-thread design.
    ///
    /// Each socket is watched one-shot (`EPOLLONESHOT`): once it fires, it stays quiet until the executor has handed
    /// it to libcurl and re-armed it, so a socket is never reported twice for the same readiness, and the watcher
    /// never needs to be told about changes: `epoll_ctl` from the executor's thread takes effect in its wait.
    extension MultiLoop {
        /// The epoll set and the eventfd (watched in it) that stops its thread.
        static func makeWatchSet() -> (Int32, Int32)? {
            let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epoll >= 0 else { return nil }
            let stop = ccurl_eventfd()
            guard stop >= 0, ccurl_epoll_watch(epoll, EPOLL_CTL_ADD, stop, CURL_POLL_IN) == 0 else {
                if stop >= 0 { close(stop) }
                close(epoll)
                return nil
            }
            return (epoll, stop)
        }

        /// The watcher thread: waits for ready sockets and queues them for the executor, until `stopWatching`. It
        /// posts a job only when none is pending: sockets that become ready while the executor is busy join the
        /// job already on its way, so a busy loop takes them all in one wake-up.
        func watchSockets() {
            let capacity = 64
            var descriptors = [Int32](repeating: 0, count: capacity)
            var readiness = [Int32](repeating: 0, count: capacity)
            var stopped = false
            // One closure for every post (it holds the loop, as each queued copy does until it runs).
            let job: @Sendable () -> Void = { self.dispatch() }
            while !stopped {
                let count = ccurl_epoll_wait(epoll, &descriptors, &readiness, Int32(capacity), -1)
                if count < 0 {
                    if errno == EINTR { continue }
                    break
                }
                let post = readyInbox.withLock { inbox -> Bool in
                    for index in 0..<Int(count) {
                        if descriptors[index] == stopEvent {
                            stopped = true
                        } else {
                            inbox.ready.append(ReadySocket(socket: descriptors[index], flags: readiness[index]))
                        }
                    }
                    guard !inbox.ready.isEmpty, !inbox.posted else { return false }
                    inbox.posted = true
                    return true
                }
                if post, let executor { executor.execute(job) }
            }
            close(stopEvent)
            close(epoll)
        }

        /// Ends the watcher thread once the multi handle is freed (executor thread).
        func stopWatching() {
            var one: UInt64 = 1
            _ = write(stopEvent, &one, 8)
        }

        /// Hands the queued ready sockets to libcurl, then re-arms those it still wants watched (executor thread).
        func dispatch() {
            readyInbox.withLock { inbox in
                swap(&inbox.ready, &readyBatch)
                inbox.posted = false
            }
            defer { readyBatch.removeAll(keepingCapacity: true) }
            guard !finished else { return }
            inJob = true
            // Reads and assignments, not `watched[socket]?.armed = …`: a dictionary's modify accessor allocates its
            // coroutine frame.
            for ready in readyBatch {
                // It fired, so its one-shot watch is spent; libcurl's socket callback may re-arm it right away.
                if let entry = watched[ready.socket] { watched[ready.socket] = (entry.what, false) }
                var stillRunning: Int32 = 0
                curl_multi_socket_action(multi, ready.socket, ready.flags, &stillRunning)
            }
            for ready in readyBatch {
                let socket = ready.socket
                guard let entry = watched[socket], !entry.armed else { continue }
                _ = ccurl_epoll_watch(epoll, EPOLL_CTL_MOD, socket, entry.what)
                watched[socket] = (entry.what, true)
            }
            endJob()
        }

        /// libcurl's socket callback with an executor: watch `socket` for `what` (`CURL_POLL_*`), or forget it.
        func watchOnce(socket: Int32, what: Int32) {
            guard what == CURL_POLL_IN || what == CURL_POLL_OUT || what == CURL_POLL_INOUT else {
                // CURL_POLL_REMOVE, before libcurl closes the socket or stops caring about it.
                if watched.removeValue(forKey: socket) != nil { _ = ccurl_epoll_forget(epoll, socket) }
                return
            }
            if let entry = watched[socket] {
                guard entry.what != what || !entry.armed else { return }
                _ = ccurl_epoll_watch(epoll, EPOLL_CTL_MOD, socket, what)
            } else if ccurl_epoll_watch(epoll, EPOLL_CTL_ADD, socket, what) != 0 {
                // Already in the set (a descriptor number reused before its removal was seen): re-arm it instead.
                _ = ccurl_epoll_watch(epoll, EPOLL_CTL_MOD, socket, what)
            }
            watched[socket] = (what, true)
        }

        /// Takes the inbox's commands and carries them out, until none are left (executor thread).
        func drain() {
            guard !draining else { return }
            draining = true
            defer { draining = false }
            while true {
                inJob = true
                // Swapped with the inbox's array, so the two buffers take turns and neither is reallocated.
                inbox.withLock { inbox in
                    swap(&drainBatch, &inbox.commands)
                    inbox.wakeupPending = true
                }
                if finished {
                    // Only cancels and resumes of transfers that already ended can arrive now.
                    drainBatch.removeAll()
                    inJob = false
                } else {
                    perform(drainBatch)
                    drainBatch.removeAll(keepingCapacity: true)
                    endJob()
                }
                let done = inbox.withLock { inbox -> Bool in
                    guard inbox.commands.isEmpty else { return false }
                    inbox.wakeupPending = false
                    return true
                }
                if done { return }
            }
        }

        /// The end of every job that ran libcurl: fires libcurl's timer if it is already due (a transfer just added
        /// asks for that, so libcurl sends it now rather than in a job of its own), ends finished transfers, resumes
        /// their callers, frees everything once shutdown is complete, and otherwise schedules the timer's next
        /// deadline. libcurl's timer callback only records the deadline meanwhile (`inJob`).
        func endJob() {
            for _ in 0..<4 {
                guard let deadline = timerDeadline, deadline <= Self.monotonicNanoseconds() else { break }
                fireTimerIfDue()
            }
            completeFinished()
            flushWakes()
            if stopping { _ = finishIfStopped() }
            inJob = false
            if !finished { scheduleTimer() }
        }

        /// Makes sure a job will fire libcurl's timer by its deadline (executor thread, at the end of a job, or from
        /// libcurl's timer callback outside one). A later deadline leaves the earlier job in place, which then
        /// reschedules, so a busy handle schedules about one job per deadline that comes closer, not one per change.
        func scheduleTimer() {
            guard let deadline = timerDeadline, let executor else { return }
            let now = Self.monotonicNanoseconds()
            if deadline <= now {
                guard !timerImmediate else { return }
                timerImmediate = true
                executor.execute { self.fireTimer(immediate: true, scheduledFor: nil) }
                return
            }
            if let scheduled = timerScheduledFor, scheduled <= deadline { return }
            timerScheduledFor = deadline
            executor.execute(afterNanoseconds: Int64(deadline - now)) {
                self.fireTimer(immediate: false, scheduledFor: deadline)
            }
        }

        private func fireTimer(immediate: Bool, scheduledFor: UInt64?) {
            if immediate {
                timerImmediate = false
            } else if timerScheduledFor == scheduledFor {
                timerScheduledFor = nil
            }
            guard !finished else { return }
            inJob = true
            endJob()
        }
    }
#endif
