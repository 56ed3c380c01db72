/// A serial executor that drives one of the client's libcurl multi handles instead of the client's own thread: a
/// server's event loop, so that a request's upstream transfer runs on the thread that serves it.
///
/// With executors (`CurlHTTPClient.init(configuration:executors:)`) the client keeps one multi handle per
/// executor. A request made on an executor's thread is added to that executor's handle there and then, and libcurl
/// sends it at once, on that thread; the response's readiness is watched by a small thread per handle, which
/// hands each ready socket back to the executor (`execute`). A request thus wakes one other thread instead of two,
/// and its caller is resumed on its own loop. Requests made elsewhere go to the handles in turn.
///
/// The executors must run until the client's `shutdown()` has returned (a process-wide event loop group does).
public protocol CurlLoopExecutor: AnyObject, Sendable {
    /// Whether the calling thread is the executor's.
    var isCurrent: Bool { get }
    /// Runs `job` on the executor after the jobs queued before it.
    func execute(_ job: @escaping @Sendable () -> Void)
    /// Runs `job` on the executor once `nanoseconds` have passed.
    func execute(afterNanoseconds nanoseconds: Int64, _ job: @escaping @Sendable () -> Void)
}
