public import Hummingbird
public import RouterCore

/// The request context of the router's routes: Hummingbird's core context, plus the client the
/// `AuthenticationMiddleware` found from the request's headers and the policy snapshot it was found under.
public struct RouterRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated client; nil outside the API's routes (probes, 404 and 405 answers).
    public var client: ClientSpec?
    /// The policy snapshot the client was authenticated under; the request keeps it to the end.
    public var policy: Policy?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
