import RouterCore

/// Wires the router's object graph: the one place it is built, by `claude-router serve` and by every test harness.
///
/// Everything chosen outside RouterHTTP comes in `dependencies`; what is the router's own (the dispatcher, the call
/// preparer and executor, budget holds, the cache planner, metrics, the controllers) is made here once and shared.
/// Budget holds of deferred tasks not yet finished are rebuilt from the task store before this returns.
public func buildRouterApplication(
    configuration: ServiceConfiguration, policies: PolicyStore, dependencies: RouterDependencies
) -> RouterApplication {
    let d = dependencies
    let spend = d.spend
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
    let dispatcher = Dispatcher(
        transport: d.transport, pacing: d.pacer, clock: ContinuousDispatchClock(wall: d.clock),
        random: SystemRandomSource(), logger: d.logger, onFallback: { metrics.fallback(from: $0, to: $1) },
        onRefusal: { metrics.admissionRefused($0) }, tracer: d.tracer)
    // Traced, every ledger write is a span of the request (or batch) that made it.
    let recorder = d.tracer.map { TracedRecorder(recorder: d.recorder, tracer: $0) as any UsageRecorder } ?? d.recorder
    let holds = BudgetHolds()
    let cachePlanner = CachePlanner()
    let preparer = CallPreparer(
        clock: d.clock, spend: spend, holds: holds, cachePlanner: cachePlanner, conversations: ConversationTierStore(),
        pacing: d.pacer, tracer: d.tracer, defersTasks: d.taskStore != nil,
        forwardSimulatorHeaders: configuration.forwardSimulatorHeaders)
    let executor = CallExecutor(
        dispatcher: dispatcher, recorder: recorder, holds: holds, metrics: metrics, cachePlanner: cachePlanner,
        clock: d.clock, streams: StreamDrain(), maxUpstreamResponseBytes: configuration.maxUpstreamResponseBytes,
        logger: d.logger)
    let bodies = BodyReader(maxBytes: configuration.maxRequestBytes)
    let intake = CallIntake(bodies: bodies, preparer: preparer, holds: holds, metrics: metrics, clock: d.clock)
    let application = RouterApplication(
        configuration: configuration, policies: policies, dependencies: d, metrics: metrics, holds: holds,
        messages: MessagesController(intake: intake, executor: executor, transport: d.transport, tracer: d.tracer),
        tasks: TasksController(intake: intake, executor: executor, tasks: d.tasks, taskStore: d.taskStore),
        passThrough: PassThroughController(
            configuration: configuration, bodies: bodies, transport: d.transport, holds: holds, spend: spend,
            metrics: metrics, taskStore: d.taskStore, clock: d.clock, tracer: d.tracer, logger: d.logger),
        operations: OperationsController(
            policies: policies, clock: d.clock, transport: d.transport,
            readinessProbeTTLMillis: configuration.readinessProbeTTLMillis, readiness: d.readiness,
            readinessProbe: ReadinessProbe(), metrics: metrics, pacing: d.pacer, reports: d.reports, spend: spend,
            taskStore: d.taskStore, dashboardTokens: DashboardTokens(), logger: d.logger),
        taskRunner: TaskRunner(
            policies: policies, preparer: preparer, executor: executor, clock: d.clock, logger: d.logger))
    application.restoreTaskHolds()
    return application
}
