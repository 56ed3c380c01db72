import HummingbirdCore
import Logging
import NIOCore

/// Wraps a Hummingbird child channel so that the task handling a connection prefers the connection's event loop
/// as its executor (`EventLoopTaskExecutor`): a request then stays on one thread from accept to reply, but for the
/// hand-off to libcurl's multi thread and back.
///
/// Child tasks the handler starts in task groups inherit the preference; unstructured `Task {}` does not. Nothing
/// on the request path may block the loop: the ledger, the task store and report queries have threads or queues of
/// their own, and libcurl runs on its multi thread.
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        let executor = EventLoopTaskExecutor(value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// Where connection handlers run. Chosen by measurement (docs/benchmarks-overhead.md, fourth pass): in the two
/// runs on a quiet 2-core machine the pool served 7,400 req/s at c = 64 against 5,200-5,600 on the event loops, at
/// 0.22 against 0.29-0.32 ms of CPU per request, while the event loop saved 0.01-0.07 ms per request at c = 1.
public enum HandlerExecutor: String, Sendable, CaseIterable {
    /// On the connection's own event loop: one thread per request but for libcurl's. Cheaper per request at low
    /// concurrency; every step of a handler queues on the loop it shares with the connection's I/O.
    case eventLoop = "event-loop"
    /// On Swift's global concurrent pool, as Hummingbird does by default (the default).
    case pool
}
