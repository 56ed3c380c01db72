public import Hummingbird
import NIOCore
public import UpstreamCurl

/// What drives the upstream client's libcurl multi handles (`serve --upstream-driver`).
public enum UpstreamDriver: String, Sendable, CaseIterable {
    /// One multi handle on a thread of its own, which every request's transfer crosses to and from (the default).
    case thread
    /// One multi handle per event loop of the server's group, run on that loop: a request's transfer is sent from the
    /// thread that serves it, and its response comes back to it (see `CurlLoopExecutor`). Less CPU per request with
    /// an upstream that takes time, but the loops then also do libcurl's work, and under saturation other
    /// connections wait longer for them (docs/benchmarks-overhead.md, eighth pass).
    case eventLoop = "event-loop"
}

extension CurlHTTPClient {
    /// The upstream client as `serve` runs it: with `.eventLoop`, one multi handle per loop of the event loop group
    /// the Hummingbird server runs on (`serve`'s is the process-wide singleton, which outlives every client; a
    /// group given here must outlive the client too).
    public static func forServer(
        driver: UpstreamDriver, configuration: Configuration = .init(),
        eventLoopGroup: EventLoopGroupProvider = .singleton
    ) -> CurlHTTPClient {
        switch driver {
        case .thread:
            return CurlHTTPClient(configuration: configuration)
        case .eventLoop:
            let loops = eventLoopGroup.eventLoopGroup.makeIterator().map {
                EventLoopCurlExecutor($0) as any CurlLoopExecutor
            }
            return CurlHTTPClient(configuration: configuration, executors: loops)
        }
    }
}

/// A NIO event loop as the executor of one of the client's multi handles.
final class EventLoopCurlExecutor: CurlLoopExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    var isCurrent: Bool { eventLoop.inEventLoop }

    func execute(_ job: @escaping @Sendable () -> Void) {
        eventLoop.execute(job)
    }

    func execute(afterNanoseconds nanoseconds: Int64, _ job: @escaping @Sendable () -> Void) {
        eventLoop.scheduleTask(in: .nanoseconds(nanoseconds), job)
    }
}
