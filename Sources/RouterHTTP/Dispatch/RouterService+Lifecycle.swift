import RouterCore

extension RouterService {
    /// Reloads the policy from its directory and, when a new snapshot was swapped in, hands its `limits.yaml`
    /// (buckets, margin, queue bounds) to the pacer. Requests in flight keep the snapshot they started with; the
    /// pacer keeps every queued waiter and reservation.
    @discardableResult
    public func reloadPolicy() -> PolicyStore.ReloadOutcome {
        let outcome = policies.reload()
        if case .reloaded = outcome, let pacer = dispatcher.pacing as? any ReconfigurablePacing {
            // Read the store again rather than capturing the snapshot: of two racing reloads, both then apply the
            // newest policy.
            pacer.apply(policy: policies.current.limits)
        }
        return outcome
    }

    /// The `ServiceGroup` member that bounds in-flight streams to `configuration.shutdownGraceMillis` once graceful
    /// shutdown begins; list it after the HTTP application.
    public func streamShutdownService() -> StreamShutdownService {
        StreamShutdownService(drain: streams, grace: .milliseconds(configuration.shutdownGraceMillis))
    }
}
