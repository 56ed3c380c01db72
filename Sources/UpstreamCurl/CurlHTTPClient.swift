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
    private let loop: MultiLoop

    /// Creates a client and starts its multi thread.
    public init(configuration: Configuration = .init()) {
        _ = CurlGlobal.initialized
        self.configuration = configuration
        self.loop = MultiLoop(configuration: configuration)
    }

    deinit {
        loop.requestShutdown()
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
        let transfer = try Transfer.make(request: request, configuration: configuration, loop: loop)
        let loop = self.loop
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

    /// Cancels every running transfer, refuses new ones, and returns once the multi thread has freed everything.
    public func shutdown() async {
        await loop.shutdown()
    }

    /// A snapshot of the client's counters.
    public var metrics: Metrics {
        Metrics(
            activeTransfers: loop.counters.active.load(ordering: .relaxed),
            transfersStarted: loop.counters.started.load(ordering: .relaxed),
            transfersCompleted: loop.counters.completed.load(ordering: .relaxed),
            connectionsOpened: loop.counters.connectionsOpened.load(ordering: .relaxed))
    }

    /// Transfers currently attached to the multi handle (each holds one easy handle).
    public var activeTransfers: Int {
        loop.counters.active.load(ordering: .relaxed)
    }
}

/// `curl_global_init` must run once before any other libcurl call, and not concurrently with one.
private enum CurlGlobal {
    static let initialized: Bool = curl_global_init(ccurl_global_default()) == CURLE_OK
}
