public import HummingbirdCore
public import Logging
public import NIOCore

/// Wraps a Hummingbird child channel so that the task handling a connection prefers the connection's event loop
/// as its executor (`EventLoopTaskExecutor`): a request then stays on one thread from accept to reply, but for the
/// hand-off to libcurl's multi thread and back.
///
/// Child tasks the handler starts in task groups inherit the preference; unstructured `Task {}` does not. Nothing
/// on the request path may block the loop: the ledger, the task store and report queries have threads or queues of
/// their own, and libcurl runs on its multi thread.
public struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Base.Value

    let base: Base

    /// Wraps `base`.
    public init(base: Base) {
        self.base = base
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    public func handle(value: Value, logger: Logger) async {
        let executor = EventLoopTaskExecutor(value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// Where connection handlers run. Chosen by measurement (docs/benchmarks-overhead.md, fourth to sixth passes): on
/// today's code the event loop was cheaper or equal on every row of two runs (0.415 against 0.445 ms of CPU per
/// request at c = 1, 7,172-7,561 against 6,797-7,540 req/s at c = 64) and kept 98.0 % of direct throughput with a
/// 50 ms upstream at c = 64, against 96.6 % on the pool. (Two earlier runs, on an older build, had the pool a
/// third ahead at c = 64.) The sixth pass, on a faster host, had the event loop cheaper on every row again.
public enum HandlerExecutor: String, Sendable, CaseIterable {
    /// On the connection's own event loop (the default): one thread per request but for libcurl's.
    case eventLoop = "event-loop"
    /// On Swift's global concurrent pool, as Hummingbird does by default.
    case pool
}
