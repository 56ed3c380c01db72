import NIOCore

/// A `TaskExecutor` that runs every job on one NIO event loop.
///
/// With `serve --handler-executor event-loop` (the default), a connection's handler task prefers the executor of the
/// connection's own event loop (`EventLoopPinnedChannel`), so the request's work (parsing, routing, the nonisolated
/// async code and default actors it calls) runs on the thread that reads and writes the socket, and an upstream
/// completion resumed from libcurl's thread comes back straight to that loop instead of crossing to Swift's global
/// pool and back. That saves a wake-up per request; see `HandlerExecutor` for how the two designs measured.
///
/// A job enqueued from the loop itself is appended to the loop's task queue without a wake-up; from another thread
/// it wakes the loop once, as any `EventLoop.execute` does.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    /// The loop every job runs on (immutable; `EventLoop` is `Sendable`).
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
