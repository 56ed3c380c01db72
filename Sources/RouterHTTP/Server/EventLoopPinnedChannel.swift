import HummingbirdCore
import Logging
import NIOCore
import Synchronization

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
    /// Each connection on its own event loop, and each request's handler there too while no more requests are in
    /// flight than there are event loops; above that, the handler moves to the pool (`AdaptiveResponder`).
    case adaptive
}

/// Runs a request's handler on the connection's event loop when the service is quiet, and on Swift's pool when it
/// is busy: the event loop costs less per request at low concurrency, the pool serves more at high concurrency
/// (docs/benchmarks-overhead.md, fourth and fifth passes).
///
/// Used with `EventLoopPinnedChannel`, so the connection's task (reading the next request head) always runs on its
/// loop; "busy" means more requests in flight in the whole process than `threshold`.
struct AdaptiveResponder: Sendable {
    let threshold: Int
    let inFlight = InFlightCount()

    func wrap(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        let threshold = threshold
        let inFlight = inFlight
        return { request, writer, channel in
            let busy = inFlight.enter() > threshold
            defer { inFlight.leave() }
            guard busy else { return try await responder(request, writer, channel) }
            var writer: ResponseWriter? = writer
            try await withTaskExecutorPreference(globalConcurrentExecutor) {
                try await responder(request, writer.take()!, channel)
            }
        }
    }
}

/// Requests in flight in the process (`AdaptiveResponder`).
final class InFlightCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts a request in; returns the count with it.
    func enter() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }

    func leave() { count.wrappingSubtract(1, ordering: .relaxed) }
}
