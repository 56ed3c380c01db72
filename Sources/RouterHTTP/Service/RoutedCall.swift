import ClaudeAPI
import RouterCore

/// A request after admission and decision, before it is sent: everything the dispatch and the ledger need.
struct RoutedCall: Sendable {
    var requestID: String
    var client: ClientSpec
    var policy: Policy
    /// The request as it goes upstream (model and cache markers set by the router).
    var request: MessagesRequest
    var decision: Decision
    var priority: AdmissionQueue.Priority
    var deadlineMillis: Int64?
    var arrival: ContinuousClock.Instant
    var arrivalMillis: Int64
    var cachePlan: String
    var deferral: String = "sync"
    /// Whose `cache_control` breakpoints the request carries upstream.
    var cacheBy: UsageRecord.CacheOwner = .none
    /// Headers to pass upstream as they came (`anthropic-beta`, `anthropic-version`).
    var forwardedHeaders: [(name: String, value: String)]

    /// The request's `inference_geo` (`us`, `global`), nil when it names none.
    var inferenceGeo: String? { request.raw["inference_geo"]?.stringValue }

    /// The models to try in order: the decision's, then its fallbacks.
    var models: [ModelSpec] {
        ([decision.model] + decision.fallbackModels).compactMap { policy.model(named: $0) }
    }
}
