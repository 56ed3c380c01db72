public import Hummingbird
public import RouterCore

/// The request context of the router's routes: Hummingbird's core context, plus the client the
/// `AuthenticationMiddleware` found from the request's headers and the policy snapshot it was found under.
public struct RouterRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated client; nil outside the API's routes (probes, 404 and 405 answers), and on `/readyz` and
    /// `/dashboard…` when no valid key was presented.
    public var client: ClientSpec?
    /// The policy snapshot the client was authenticated under; the request keeps it to the end.
    public var policy: Policy?
    /// Why a key presented on `/readyz` or `/dashboard…` was refused (those routes decide what a refusal means).
    var refusal: RouterHTTPError?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
