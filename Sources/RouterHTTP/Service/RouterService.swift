import NIOCore
import Hummingbird
import HTTPTypes
import ClaudeAPI
import Foundation
public import Logging
public import RouterCore

/// Where the service reads a client's running spend (the ledger keeps it; tests may pass a fixed one).
public protocol SpendSource: Sendable {
    /// The client's spend in the current UTC day and month (`taskType` nil: all task types).
    func spend(client: String, taskType: String?) -> (day: Money, month: Money)
    /// Adds rows committed outside the recorder (batch results stored with their task) to the totals.
    func account(_ rows: [UsageRecord])
}

extension SpendSource {
    /// A fixed spend source has nothing to add.
    public func account(_ rows: [UsageRecord]) {}
}

/// A spend source that knows of no spend.
public struct NoSpend: SpendSource {
    public init() {}
    public func spend(client: String, taskType: String?) -> (day: Money, month: Money) { (.zero, .zero) }
}

/// The routing service's dependencies and its request pipeline, independent of the HTTP server.
public final class RouterService: Sendable {
    let configuration: ServiceConfiguration
    let policies: PolicyStore
    let transport: any UpstreamTransport
    let dispatcher: Dispatcher
    let recorder: any UsageRecorder
    let spend: any SpendSource
    let clock: any RouterClock
    let logger: Logger
    /// Streams in flight, so graceful shutdown can bound them.
    let streams = StreamDrain()
    let metrics: ServiceMetrics
    let tasks: TaskResults
    /// Learns prefix reuse and plans `cache_control` breakpoints; one per process (its table is shared).
    let cachePlanner = CachePlanner()
    /// The tier each conversation has used, so later turns never move down (`sticky_conversations`).
    let conversations = ConversationTierStore()
    let readiness: (@Sendable () -> String?)?
    /// The durable queue of deferred tasks; nil turns deferral off (every task runs now).
    let taskStore: TaskStore?
    /// Budget reservations of calls in flight and deferred tasks not yet finished.
    let holds = BudgetHolds()
    /// `/readyz`'s cached upstream probe.
    let readinessProbe = ReadinessProbe()
    /// Where spans go; nil (the default) is tracing off.
    let tracer: RouterTracer?
    /// Where `/dashboard` reads today's figures; nil shows none.
    let reports: (any UsageReports)?
    /// `/dashboard`'s one-time links and session cookies.
    let dashboardTokens = DashboardTokens()

    /// Assembles a service.
    ///
    /// - Parameter tracer: where the spans of requests and batches go (`OTLPTracing.make`); nil turns tracing off.
    public init(
        configuration: ServiceConfiguration, policies: PolicyStore, transport: any UpstreamTransport,
        pacing: any Pacing = UnpacedPacing(), recorder: any UsageRecorder, spend: any SpendSource = NoSpend(),
        clock: any RouterClock = SystemClock(), tasks: TaskResults = TaskResults(),
        readiness: (@Sendable () -> String?)? = nil, taskStore: TaskStore? = nil,
        reports: (any UsageReports)? = nil, tracer: RouterTracer? = nil, logger: Logger
    ) {
        self.reports = reports
        self.tracer = tracer
        self.configuration = configuration
        self.policies = policies
        self.transport = transport
        // Made first: the dispatcher reports fallbacks and refusals to it.
        let metrics = ServiceMetrics(clientLabel: { name in
            name == ClientAuthenticator.anonymous.name || policies.current.client(named: name) != nil ? name : "other"
        })
        // Budget use, read from the spend source at each scrape (a few clients, one look-up each).
        metrics.families.registry.onCollect { [weak metrics] in
            guard let metrics else { return }
            for client in policies.current.clients {
                guard let budget = client.budget else { continue }
                let spent = spend.spend(client: client.name, taskType: nil)
                metrics.families.updateBudget(
                    client: client.name, spentToday: spent.day, spentThisMonth: spent.month, daily: budget.daily,
                    monthly: budget.monthly)
                for (taskType, config) in budget.taskTypes where config.daily != nil || config.monthly != nil {
                    let spentOnType = spend.spend(client: client.name, taskType: taskType)
                    metrics.families.updateBudget(
                        client: client.name, taskType: taskType, spentToday: spentOnType.day,
                        spentThisMonth: spentOnType.month, daily: config.daily, monthly: config.monthly)
                }
            }
        }
        self.dispatcher = Dispatcher(
            transport: transport, pacing: pacing, clock: ContinuousDispatchClock(wall: clock),
            random: SystemRandomSource(), logger: logger, onFallback: { metrics.fallback(from: $0, to: $1) },
            onRefusal: { metrics.admissionRefused($0) }, tracer: tracer)
        // Traced, every ledger write is a span of the request (or batch) that made it.
        self.recorder = tracer.map { TracedRecorder(recorder: recorder, tracer: $0) as any UsageRecorder } ?? recorder
        self.spend = spend
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.tasks = tasks
        self.readiness = readiness
        self.taskStore = taskStore
        restoreTaskHolds()
    }

    /// A fresh router request id.
    func newRequestID() -> String { Self.makeRequestID() }

    /// A fresh router request id (`rtr_` and two random 64-bit numbers in base 36).
    static func makeRequestID() -> String {
        var rng = SystemRandomNumberGenerator()
        let a = rng.next() as UInt64
        let b = rng.next() as UInt64
        return "rtr_" + String(a, radix: 36) + String(b, radix: 36)
    }
}

