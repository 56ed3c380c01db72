public import ServiceLifecycle

/// The service-group member that bounds in-flight streams on graceful shutdown.
///
/// Place it AFTER the HTTP application in the `ServiceGroup` list: services are told to shut down in reverse
/// order, so this one starts the streams' grace period at the moment the server stops accepting connections.
/// Streams still running when `grace` has passed are cut (`StreamDrain`), their usage recorded, and the server
/// can then close; the ledger, earlier in the list, is flushed after that.
public struct StreamShutdownService: Service {
    let drain: StreamDrain
    let grace: Duration

    /// Creates the service for a drain (use `RouterApplication.streamShutdownService()`).
    public init(drain: StreamDrain, grace: Duration) {
        self.drain = drain
        self.grace = grace
    }

    /// Waits for graceful shutdown (or cancellation), then starts the streams' grace period and returns.
    public func run() async throws {
        try? await gracefulShutdown()
        if Task.isCancelled {
            drain.cutAll()
        } else {
            drain.beginShutdown(grace: grace)
        }
    }
}
