import Logging
import RouterCore
@testable import RouterHTTP

extension RouterApplication {
    /// The router as `claude-router serve` composes it (`buildRouterApplication`), with the test's collaborators:
    /// what a test does not name is off (no pacing, no spend, no task queue, no tracing) or the system clock.
    static func forTests(
        configuration: ServiceConfiguration, policies: PolicyStore, transport: any UpstreamTransport,
        pacing: any ReconfigurablePacing = UnpacedPacing(), recorder: any UsageRecorder,
        spend: any SpendSource = NoSpend(), clock: any RouterClock = SystemClock(), tasks: TaskResults = TaskResults(),
        readiness: (@Sendable () -> String?)? = nil, taskStore: TaskStore? = nil, reports: (any UsageReports)? = nil,
        tracer: RouterTracer? = nil, logger: Logger
    ) -> RouterApplication {
        buildRouterApplication(
            configuration: configuration, policies: policies,
            dependencies: RouterDependencies(
                clock: clock, transport: transport, pacer: pacing, recorder: recorder, spend: spend, tasks: tasks,
                taskStore: taskStore, reports: reports, readiness: readiness, tracer: tracer, logger: logger))
    }
}
