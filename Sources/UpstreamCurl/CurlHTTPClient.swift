import CCurl
import Synchronization

/// An asynchronous HTTP client over the libcurl multi interface: one thread drives every transfer, connections
/// are reused (and multiplexed over HTTP/2 where the server offers it), bodies stream with backpressure.
///
/// Create one per process (or per upstream) and share it; call `shutdown()` before the end of the process.
/// TLS peer and host verification are always on.
public final class CurlHTTPClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: Configuration
    /// One multi handle with its own thread, or one per executor.
    private let loops: [MultiLoop]
    /// Which handle takes the next request made off every executor's thread.
    private let nextLoop = Atomic<Int>(0)

    /// Creates a client and starts its multi thread.
    public init(configuration: Configuration = .init()) {
        _ = CurlGlobal.initialized
        self.configuration = configuration
        self.loops = [MultiLoop(configuration: configuration)]
    }

    /// Creates a client with one multi handle per executor, each driven on its executor (see `CurlLoopExecutor`).
    /// The connection limits are shared out between the handles, so the client as a whole keeps them. Without
    /// executors, or where the system has no epoll, it is the client of `init(configuration:)`.
    public init(configuration: Configuration = .init(), executors: [any CurlLoopExecutor]) {
        _ = CurlGlobal.initialized
        self.configuration = configuration
        #if !os(Linux)
            let executors: [any CurlLoopExecutor] = []  // no epoll: the one-thread client
        #endif
        guard !executors.isEmpty else {
            self.loops = [MultiLoop(configuration: configuration)]
            return
        }
        let share = configuration.shared(among: executors.count)
        self.loops = executors.map { MultiLoop(configuration: share, executor: $0) }
    }

    deinit {
        for loop in loops { loop.requestShutdown() }
    }

    /// The handle for a request made now: the calling executor's own, else each in turn.
    private var loopForCaller: MultiLoop {
        if loops.count == 1 { return loops[0] }
        for loop in loops where loop.executor?.isCurrent == true { return loop }
        return loops[nextLoop.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Sends a request and returns once the response's status and headers arrived; the body then streams.
    ///
    /// Cancelling the calling task stops the transfer at once and frees its handle.
    /// - Throws: `UpstreamError`: `invalidRequest` before anything is sent, `cancelled`, or the transport failure
    ///   (`connectFailed`, `timedOut`, `connectionReset`, `tls`, `other`). HTTP error statuses are responses.
    public func execute(_ request: UpstreamRequest) async throws(UpstreamError) -> UpstreamResponse {
        if Task.isCancelled {
            throw UpstreamError(code: .cancelled, message: "the task was cancelled before the request was sent")
        }
        let loop = loopForCaller
        let transfer = try Transfer.make(request: request, configuration: configuration, loop: loop)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: Transfer.HeadWaiter) in
                transfer.installHeadWaiter(waiter)
                if !loop.submit(transfer) {
                    transfer.releaseHandle()
                    transfer.finish(UpstreamError(code: .cancelled, message: "the client is shut down"), onLoop: false)
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return try transfer.response(head: result.get())
    }

    /// Cancels every running transfer, refuses new ones, and returns once every multi handle is freed.
    public func shutdown() async {
        for loop in loops { await loop.shutdown() }
    }

    /// A snapshot of the client's counters.
    public var metrics: Metrics {
        var metrics = Metrics(activeTransfers: 0, transfersStarted: 0, transfersCompleted: 0, connectionsOpened: 0)
        for counters in loops.map(\.counters) {
            metrics.activeTransfers += counters.active.load(ordering: .relaxed)
            metrics.transfersStarted += counters.started.load(ordering: .relaxed)
            metrics.transfersCompleted += counters.completed.load(ordering: .relaxed)
            metrics.connectionsOpened += counters.connectionsOpened.load(ordering: .relaxed)
        }
        return metrics
    }

    /// Transfers currently attached to the multi handles (each holds one easy handle).
    public var activeTransfers: Int {
        loops.reduce(0) { $0 + $1.counters.active.load(ordering: .relaxed) }
    }
}

/// `curl_global_init` must run once before any other libcurl call, and not concurrently with one.
private enum CurlGlobal {
    static let initialized: Bool = curl_global_init(ccurl_global_default()) == CURLE_OK
}
