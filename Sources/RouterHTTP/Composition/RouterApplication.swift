import ClaudeAPI
public import Hummingbird
import HTTPTypes
import Logging
import RouterCore

/// The router, built by `buildRouterApplication`: its controllers and the shared state they use, and what
/// `claude-router serve` runs beside the HTTP server (the batch scheduler, budget alerts, policy reloads, the
/// stream drain at shutdown; RouterApplication+Services.swift).
public final class RouterApplication: Sendable {
    public let configuration: ServiceConfiguration
    public let policies: PolicyStore
    let dependencies: RouterDependencies
    let metrics: ServiceMetrics
    /// Budget reservations of calls in flight and deferred tasks not yet finished.
    let holds: BudgetHolds
    let messagesController: MessagesController
    let tasksController: TasksController
    let passThroughController: PassThroughController
    let operationsController: OperationsController
    /// Runs deferred tasks now for the batch scheduler, through the same call executor as `POST /v1/tasks`.
    let taskRunner: TaskRunner

    init(
        configuration: ServiceConfiguration, policies: PolicyStore, dependencies: RouterDependencies,
        metrics: ServiceMetrics, holds: BudgetHolds, messages: MessagesController, tasks: TasksController,
        passThrough: PassThroughController, operations: OperationsController, taskRunner: TaskRunner
    ) {
        self.configuration = configuration
        self.policies = policies
        self.dependencies = dependencies
        self.metrics = metrics
        self.holds = holds
        self.messagesController = messages
        self.tasksController = tasks
        self.passThroughController = passThrough
        self.operationsController = operations
        self.taskRunner = taskRunner
    }

    var logger: Logger { dependencies.logger }
    /// Results of tasks answered at once (`GET /v1/tasks/{id}`).
    var tasks: TaskResults { dependencies.tasks }

    /// Adds every route of the service to `router`, behind the access log, the request span (when tracing) and the
    /// error middleware. The API's routes are in a group behind the authentication middleware (a client key,
    /// checked from the headers before any body is read); `/readyz` and the dashboard check a key when one is
    /// presented; `/healthz`, `/metrics`, and the 404 and 405 answers need none.
    public func addRoutes(to router: Hummingbird.Router<RouterRequestContext>) {
        // First, so its line reports the response the error middleware made of any error.
        router.add(middleware: AccessLogMiddleware<RouterRequestContext>(logger: logger))
        // Inside the access log, so the request span can read what the request learned.
        if let tracer = dependencies.tracer {
            router.add(middleware: RequestSpanMiddleware<RouterRequestContext>(tracer: tracer))
        }
        router.add(middleware: ErrorMiddleware<RouterRequestContext>())
        let api = router.group()
            .add(
                middleware: AuthenticationMiddleware(
                    policies: policies, mode: .required(allowAnonymous: configuration.allowAnonymous)))
        messagesController.addRoutes(to: api)
        passThroughController.addRoutes(to: api)
        tasksController.addRoutes(to: api)
        let keyed = router.group().add(middleware: AuthenticationMiddleware(policies: policies, mode: .optional))
        operationsController.addRoutes(to: router, keyed: keyed)
        // Wrong methods on known paths: 405 in the API's error shape.
        let methodsByPath: [(String, [HTTPRequest.Method])] = [
            ("/v1/messages", [.get, .put, .delete, .patch]), ("/v1/messages/count_tokens", [.get, .put, .delete]),
            ("/v1/tasks", [.get, .put, .delete]), ("/v1/route", [.get, .put, .delete]),
            ("/v1/models", [.post, .put, .delete]),
        ]
        for (path, methods) in methodsByPath {
            for method in methods {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw RouterHTTPError(
                        .invalidRequest, "Method \(request.method.rawValue) is not allowed on \(path)", status: 405)
                }
            }
        }
    }

    /// A Hummingbird router with every route of the service.
    public func buildRouter() -> Hummingbird.Router<RouterRequestContext> {
        let router = Hummingbird.Router(context: RouterRequestContext.self)
        addRoutes(to: router)
        return router
    }
}
