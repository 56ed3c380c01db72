import ClaudeAPI
import Foundation
public import Logging
public import RouterCore
import Tracing
import UsageLedger

/// Packs deferred tasks into Message Batches, submits them, polls them, stores each result against its task (and its
/// cost in the ledger, in the same transaction), retries what errored or expired, and delivers callbacks.
///
/// Everything happens in `tick(nowMillis:)`, one bounded step the service calls every second (`run`) and tests
/// call directly. The database is the only memory that matters: a new scheduler on the same file picks up where a
/// crashed one stopped (see `reconcile` for the one step that needs the API's help). Only the poll backoff lives in
/// memory; after a restart every running batch is polled at once. Call one `tick` at a time.
public final class BatchScheduler: Sendable {
    /// What one tick did, for tests and logs.
    public struct TickReport: Sendable, Hashable {
        /// Local ids of the batches submitted (the API accepted them).
        public var submitted: [String] = []
        /// Batches left in `submitting` because the create call got no clear answer (reconciled next tick).
        public var unconfirmed = 0
        /// Batches found upstream by the reconciler after a crash between the create call and storing its id.
        public var adopted = 0
        /// Batches that never reached the API: their tasks went back to pending.
        public var released = 0
        /// Batches polled.
        public var polled = 0
        /// Batches whose results were all stored.
        public var ended = 0
        /// Results stored as succeeded.
        public var succeeded = 0
        /// Results that go to a later batch.
        public var retried = 0
        /// Tasks that failed for good.
        public var failed = 0
        /// Callbacks answered 2xx.
        public var callbacksDelivered = 0
        /// Callback attempts that failed.
        public var callbackFailures = 0
        /// Tasks started synchronously because their deadline left no room for another batch.
        public var runsStarted = 0
        /// Tasks found `running` with no live run (a process stopped mid-run): they went back to pending.
        public var runsReleased = 0
        /// Batches whose `results_url` was refused (not on the configured upstream): polled again later.
        public var resultsRefused = 0
        /// Storage or protocol errors met (the step is retried next tick).
        public var errors = 0

        /// An empty report.
        public init() {}
    }

    struct PollSchedule {
        var nextMillis: Int64
        var intervalMillis: Int64
    }

    let store: TaskStore
    let transport: any UpstreamTransport
    let policies: PolicyStore
    let callbacks: any CallbackSender
    let metrics: RouterMetrics?
    let logger: Logger
    let committed: @Sendable ([UsageRecord]) -> Void
    let polls = MutexBox<[String: PollSchedule]>([:])
    /// The configured upstream (`scheme://host:port/base`): the only origin a `results_url` is fetched from.
    let upstreamBaseURL: String?
    /// Runs tasks synchronously when their deadline requires it; nil leaves every retry to a later batch.
    let runner: (any DeferredTaskRunner)?
    /// Most synchronous runs at once when set; nil follows the policy's `max_sync_runs` (a reload applies).
    let maxConcurrentRuns: Int?
    let runs = MutexBox(Runs())
    /// Where the `batch submit` and `batch poll` spans go; nil is tracing off.
    let tracer: RouterTracer?
    /// Called at the end of every tick with its time (the service re-syncs shared budget holds there).
    let afterTick: (@Sendable (Int64) async -> Void)?

    /// Most batches polled, and most callbacks tried, in one tick: a tick stays short whatever the backlog.
    static let maxPollsPerTick = 64
    static let maxCallbacksPerTick = 32
    /// Most batches packed in one tick (each up to `max_batch_size` tasks).
    static let maxSubmissionsPerTick = 8

    /// Creates a scheduler.
    /// - Parameters:
    ///   - store: the durable queue.
    ///   - transport: the upstream (the same one the service calls; it adds the API key).
    ///   - policies: where `batches.yaml`'s settings and the prices are read, at each tick.
    ///   - callbacks: delivers `callback_url` POSTs.
    ///   - metrics: where the queue depth, batches in flight and callback failures go.
    ///   - committed: told of each ledger row the queue committed, after the commit put it in the budget totals
    ///     (when the queue was made with the ledger as its accounting).
    ///   - upstreamBaseURL: the upstream the transport calls; a batch's `results_url` is followed only on its
    ///     scheme, host and port (nil: the results are read from the documented path, `results_url` is ignored).
    public convenience init(
        store: TaskStore, transport: any UpstreamTransport, policies: PolicyStore, callbacks: any CallbackSender,
        metrics: RouterMetrics? = nil, logger: Logger,
        committed: @escaping @Sendable ([UsageRecord]) -> Void = { _ in },
        upstreamBaseURL: String? = nil
    ) {
        self.init(
            store: store, transport: transport, policies: policies, callbacks: callbacks, metrics: metrics,
            logger: logger, committed: committed, upstreamBaseURL: upstreamBaseURL, runner: nil)
    }

    /// Creates a scheduler that runs tasks synchronously through `runner` when their deadline requires it, at most
    /// `maxConcurrentRuns` at once (nil: the policy's `max_sync_runs`).
    init(
        store: TaskStore, transport: any UpstreamTransport, policies: PolicyStore, callbacks: any CallbackSender,
        metrics: RouterMetrics? = nil, logger: Logger,
        committed: @escaping @Sendable ([UsageRecord]) -> Void = { _ in },
        upstreamBaseURL: String?, runner: (any DeferredTaskRunner)?, maxConcurrentRuns: Int? = nil,
        tracer: RouterTracer? = nil,
        afterTick: (@Sendable (Int64) async -> Void)? = nil
    ) {
        self.tracer = tracer
        self.afterTick = afterTick
        self.upstreamBaseURL = upstreamBaseURL
        self.runner = runner
        self.maxConcurrentRuns = maxConcurrentRuns.map { max(1, $0) }
        self.store = store
        self.transport = transport
        self.policies = policies
        self.callbacks = callbacks
        self.metrics = metrics
        self.logger = logger
        self.committed = committed
    }

    /// One step: reconcile interrupted submissions, release orphaned runs, submit what is due, poll running
    /// batches, store results, start the synchronous runs deadlines require, deliver due callbacks, refresh the
    /// gauges. Synchronous runs go on after the tick returns (`drainRuns` waits for them).
    @discardableResult
    public func tick(nowMillis now: Int64) async -> TickReport {
        var report = TickReport()
        let config = policies.current.batches
        await reconcile(now: now, report: &report)
        await releaseOrphanedRuns(report: &report)
        await submitDue(now: now, config: config, report: &report)
        await pollDue(now: now, config: config, report: &report)
        await startDueRuns(now: now, config: config, report: &report)
        await deliverCallbacks(now: now, config: config, report: &report)
        if let metrics, let depth = try? await store.run({ queue throws(LedgerError) in try queue.depth() }) {
            metrics.batchQueueDepth.labels().set(Int64(depth.pending))
            metrics.batchesInFlight.labels().set(Int64(depth.batchesInFlight))
        }
        if let metrics, let counts = try? await store.run({ queue throws(LedgerError) in try queue.stateCounts() }) {
            metrics.setStateCounts(counts)
        }
        await afterTick?(now)
        return report
    }

    /// Ticks every `interval` until the task is cancelled (the service's graceful shutdown cancels it), then waits
    /// for the synchronous runs in flight (each is bounded by its task's deadline and the upstream timeouts).
    public func run(every interval: Duration = .seconds(1), clock: any RouterClock) async {
        while !Task.isCancelled {
            let report = await tick(nowMillis: clock.nowMillis())
            if report != TickReport() {
                logger.debug(
                    "batch scheduler tick",
                    metadata: [
                        "submitted": "\(report.submitted.count)", "succeeded": "\(report.succeeded)",
                        "retried": "\(report.retried)", "failed": "\(report.failed)", "errors": "\(report.errors)",
                    ])
            }
            try? await Task.sleep(for: interval)
        }
        await drainRuns()
    }

    // MARK: - Upstream calls

    static let apiHeaders: [(name: String, value: String)] = [
        ("anthropic-version", "2023-06-01"), ("content-type", "application/json"),
    ]

    /// One call to the API: status and body, or nil when no answer came.
    func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, headers: [(name: String, value: String)] = apiHeaders,
        limit: Int = 8 << 20
    ) async -> (status: Int, body: [UInt8])? {
        do {
            let call = UpstreamCall(method: method, path: path, headers: headers, body: body)
            return try await send(call, tracedAs: "\(method) batches") { reply in
                (reply.status, try await reply.collectBody(upTo: limit))
            }
        } catch {
            logger.warning("batch API call failed", metadata: ["path": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// Sends `call` and has `read` consume the reply, in a client span named `name` that lasts until `read` returns
    /// (the whole body, not only the head), its `traceparent` sent upstream. A failure to send or read is marked on
    /// the span and rethrown.
    func send<T>(
        _ call: UpstreamCall, tracedAs name: String, read: (UpstreamReply) async throws -> T
    ) async throws -> T {
        let span = tracer?.startSpan(name, kind: .client)
        defer { span?.end() }
        var call = call
        if let span {
            span.attributes["url.path"] = call.path
            tracer?.inject(span, into: &call.headers)
        }
        do {
            let reply = try await transport.send(call)
            span?.attributes["http.response.status_code"] = reply.status
            return try await read(reply)
        } catch {
            span?.attributes["error.type"] = (error as? UpstreamTransportError)?.kind.rawValue ?? "other"
            throw error
        }
    }

    static func newBatchID() -> String {
        var rng = SystemRandomNumberGenerator()
        return "rb_" + String(rng.next() as UInt64, radix: 36) + String(rng.next() as UInt64, radix: 36)
    }

    func storeRun<T: Sendable>(
        _ report: inout TickReport, _ what: String,
        _ body: @escaping @Sendable (any TaskQueueProtocol) throws(LedgerError) -> T
    ) async -> T? {
        do {
            return try await store.run(body)
        } catch {
            report.errors += 1
            logger.error("task queue error", metadata: ["during": "\(what)", "error": "\(error)"])
            return nil
        }
    }
}
