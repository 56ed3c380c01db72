import ClaudeAPI
import Hummingbird
import RouterCore

/// The front of a routed call, shared by `POST /v1/messages`, `/v1/route` and `/v1/tasks`: the request's client
/// and body, the decision and admission (`CallPreparer`); and the answer when a call fails before it is answered.
struct CallIntake: Sendable {
    let bodies: BodyReader
    let preparer: CallPreparer
    /// Budget reservations: a call that fails before it is answered gives its reservation back.
    let holds: BudgetHolds
    let metrics: ServiceMetrics
    let clock: any RouterClock

    /// Authenticates `request`, reads its body as a task (`TaskEnvelope`: a `POST /v1/tasks` or `/v1/route`
    /// body), and prepares its call: decided, and admitted unless `admit` is false.
    func prepareTask(
        _ request: Request, context: RouterRequestContext, requestID: String, arrival: ContinuousClock.Instant,
        admit: Bool = true
    ) async throws(RouterHTTPError) -> (task: TaskEnvelope, call: RoutedCall) {
        let (client, policy) = try context.authenticated()
        let body = try await bodies.collect(request)
        let task = try TaskEnvelope(bytes: body, now: clock.nowMillis())
        let call = try await preparer.prepare(
            task: task, headers: request.headers, client: client, policy: policy, requestID: requestID,
            arrival: arrival, admit: admit)
        return (task, call)
    }

    /// The answer to a call that failed before it was answered: its budget hold released (if it had one), the
    /// error counted in `claude_router_errors_total`, and the error response.
    func failed(_ error: RouterHTTPError, requestID: String) -> Response {
        holds.release(requestID)
        metrics.routerError(type: error.type.rawValue)
        return error.response(requestID: requestID)
    }
}
