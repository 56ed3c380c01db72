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

/// Where connection handlers run.
public enum HandlerExecutor: String, Sendable, CaseIterable {
    /// On the connection's own event loop (the default): one thread per request but for libcurl's.
    case eventLoop = "event-loop"
    /// On Swift's global concurrent pool, as Hummingbird does by default (kept for comparison in benchmarks).
    case pool
}
