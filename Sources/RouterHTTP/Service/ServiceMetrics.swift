import RouterCore

/// The service's view of the Prometheus families in `RouterMetrics`: what a finished request adds.
final class ServiceMetrics: Sendable {
    let families = RouterMetrics()
    /// The `client` label of a client name: the name when the policy lists it, else `other` (bounded cardinality).
    let clientLabel: @Sendable (String) -> String

    init(clientLabel: @escaping @Sendable (String) -> String = { _ in "other" }) {
        self.clientLabel = clientLabel
    }

    func routerError(type: String) { families.errors.labels(type).increment() }

    func observe(_ row: UsageRecord, bucket: String, overheadMillis: Int) {
        families.requests.labels(row.modelUsed, row.taskType, String(row.status)).increment()
        if let error = row.errorType { families.errors.labels(error).increment() }
        families.latency.labels(row.modelUsed).observe(Double(row.latencyMillis) / 1000)
        families.overhead.labels().observe(Double(overheadMillis) / 1000)
        families.queueWait.labels(bucket).observe(Double(row.queueWaitMillis) / 1000)
        families.recordUsage(
            model: row.modelUsed, taskType: row.taskType, client: clientLabel(row.client), usage: row.usage,
            cost: row.cost)
        if row.retries > 0 { families.retries.labels(row.modelUsed, row.errorType ?? "retried").increment(by: Int64(row.retries)) }
    }

    func fallback(from: String, to: String) { families.fallbacks.labels(from, to).increment() }

    func admissionRefused(_ refusal: AdmissionRefusal) {
        families.admissionRefusals.labels(refusal.bucket, refusal.code.description).increment()
    }

    func render(lanes: [LaneSnapshot]) -> String {
        families.update(from: lanes)
        return families.registry.exposition()
    }
}
