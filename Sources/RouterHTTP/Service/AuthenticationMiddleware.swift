import ClaudeAPI
import Hummingbird
import HTTPTypes
import RouterCore

/// Authenticates every request from its headers alone, before any handler runs, and puts the client (and the
/// policy snapshot it was found under) in the context.
///
/// A request without a valid key is answered 401 here, without its body being read: Hummingbird reads a body only
/// when a handler asks for it, so a keyless request costs its headers and nothing more (the connection is then
/// closed by `ConnectionGuard` rather than drained, see there). It guards the group of the API's routes; the probes
/// (`/healthz`, `/readyz`, `/metrics`) and the 404/405 answers are outside it.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RouterRequestContext

    let policies: PolicyStore
    let allowAnonymous: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let policy = policies.current
        do {
            context.client = try ClientAuthenticator.authenticate(
                request.headers, policy: policy, allowAnonymous: allowAnonymous)
        } catch {
            // Refused before the body is touched: tell the connection guard not to drain it.
            var refused = error
            refused.headers[.connection] = "close"
            throw refused
        }
        context.policy = policy
        return try await next(request, context)
    }
}

extension RouterRequestContext {
    /// The authenticated client and its policy snapshot (set by `AuthenticationMiddleware` on the API's routes).
    /// - Throws: 401 when a route was reached without passing the middleware (a wiring bug, never a client's doing).
    func authenticated() throws(RouterHTTPError) -> (client: ClientSpec, policy: Policy) {
        guard let client, let policy else { throw RouterHTTPError(.authentication, "x-api-key header is required") }
        return (client, policy)
    }
}
