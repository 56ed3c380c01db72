import NIOCore
import NIOPosix
import Testing

@testable import UpstreamCurl

/// What drives a test client's libcurl: its own thread, or event loops (`CurlLoopExecutor`), one or two.
enum Driver: String, CaseIterable, CustomTestStringConvertible {
    case thread
    case oneLoop
    case twoLoops

    var testDescription: String { rawValue }

    /// The drivers whose client has one multi handle: commands all reach the same handle, in order.
    static let singleHandle: [Driver] = [.thread, .oneLoop]

    /// Event loops of their own, which outlive every client (the singleton group may have more or fewer threads).
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// How many multi handles the client has.
    var handles: Int { self == .twoLoops ? 2 : 1 }

    func client(configuration: CurlHTTPClient.Configuration = .init()) -> CurlHTTPClient {
        switch self {
        case .thread: CurlHTTPClient(configuration: configuration)
        case .oneLoop: CurlHTTPClient(configuration: configuration, executors: [LoopExecutor(Self.group.next())])
        case .twoLoops:
            CurlHTTPClient(configuration: configuration, executors: Self.group.makeIterator().map { LoopExecutor($0) })
        }
    }
}

/// A NIO event loop as a client's executor (the router's own adapter lives in RouterHTTP).
final class LoopExecutor: CurlLoopExecutor, TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    var isCurrent: Bool { loop.inEventLoop }

    func execute(_ job: @escaping @Sendable () -> Void) {
        loop.execute(job)
    }

    func execute(afterNanoseconds nanoseconds: Int64, _ job: @escaping @Sendable () -> Void) {
        loop.scheduleTask(in: .nanoseconds(nanoseconds), job)
    }

    /// As a task executor: code run with this preference calls the client from the loop's own thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
