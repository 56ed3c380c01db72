import ClaudeAPI
import Hummingbird
import HTTPTypes
import RouterCore

/// Authenticates every request from its headers alone, before any handler runs, and puts the client (and the
/// policy snapshot it was found under) in the context: the one place a request's key is checked.
///
/// - `.required` guards the API's routes: a request without a valid key is answered 401 here, without its body
///   being read. Hummingbird reads a body only when a handler asks for it, so a keyless request costs its headers
///   and nothing more (the connection is then closed by `ConnectionGuard` rather than drained, see there).
/// - `.optional` guards `/readyz` and `/dashboard…`, which also answer keyless callers: a presented key is checked
///   (anonymous access never counts) and the client, or the refusal, is left in the context for the handler.
///
/// The probes `/healthz` and `/metrics`, and the 404/405 answers, are outside both.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RouterRequestContext

    /// Whether a request must present a valid key to pass.
    enum Mode: Sendable {
        case required(allowAnonymous: Bool)
        case optional
    }

    let policies: PolicyStore
    let mode: Mode

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let policy = policies.current
        switch mode {
        case .required(let allowAnonymous):
            do {
                context.client = try ClientAuthenticator.authenticate(
                    request.headers, policy: policy, allowAnonymous: allowAnonymous)
            } catch {
                // Refused before the body is touched: tell the connection guard not to drain it.
                var refused = error
                refused.headers[.connection] = "close"
                throw refused
            }
        case .optional:
            guard ClientAuthenticator.presentedKey(request.headers) != nil else { return try await next(request, context) }
            do {
                context.client = try ClientAuthenticator.authenticate(
                    request.headers, policy: policy, allowAnonymous: false)
            } catch {
                context.refusal = error
            }
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

    /// Whether the request presented a key (valid or not) to an `.optional` authentication middleware.
    var presentedKey: Bool { client != nil || refusal != nil }
}
