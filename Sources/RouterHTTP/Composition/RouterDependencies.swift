public import Logging
public import RouterCore

/// The collaborators of a router application that are chosen outside RouterHTTP: `claude-router serve` passes the
/// real ones (libcurl, the ledger, the system clock), a test harness passes its fakes. RouterHTTP builds none of
/// them itself.
public struct RouterDependencies: Sendable {
    /// Every time the service reads (routing days, budgets, task deadlines, dashboard tokens).
    public var clock: any RouterClock
    /// The upstream: the Claude API or the simulator.
    public var transport: any UpstreamTransport
    /// The rate-limit pacer; a policy reload hands it the new `limits.yaml`.
    public var pacer: any ReconfigurablePacing
    /// Where the ledger rows go.
    public var recorder: any UsageRecorder
    /// Where the clients' running spend is read.
    public var spend: any SpendSource
    /// Results of tasks answered at once, kept for `GET /v1/tasks/{id}`.
    public var tasks: TaskResults
    /// The durable queue of deferred tasks and client batches; nil turns deferral and the batch pass-through off.
    public var taskStore: TaskStore?
    /// Where `/dashboard` reads today's figures; nil shows none.
    public var reports: (any UsageReports)?
    /// The ledger's last write error, if any, for `/readyz`; nil: no check.
    public var readiness: (@Sendable () -> String?)?
    /// Where spans of requests and batches go (`OTLPTracing.make`); nil turns tracing off.
    public var tracer: RouterTracer?
    public var logger: Logger

    /// Collects the dependencies; the optional ones default to off.
    public init(
        clock: any RouterClock, transport: any UpstreamTransport, pacer: any ReconfigurablePacing,
        recorder: any UsageRecorder, spend: any SpendSource, tasks: TaskResults, taskStore: TaskStore? = nil,
        reports: (any UsageReports)? = nil, readiness: (@Sendable () -> String?)? = nil, tracer: RouterTracer? = nil,
        logger: Logger
    ) {
        self.clock = clock
        self.transport = transport
        self.pacer = pacer
        self.recorder = recorder
        self.spend = spend
        self.tasks = tasks
        self.taskStore = taskStore
        self.reports = reports
        self.readiness = readiness
        self.tracer = tracer
        self.logger = logger
    }
}
