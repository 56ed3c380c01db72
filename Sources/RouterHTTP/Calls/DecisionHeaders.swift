import HTTPTypes
import RouterCore

/// The decision headers every routed response carries (`x-router-*`), built in this one place.
enum DecisionHeaders {
    /// The headers of `call`: its request id, model (the one that answered, when `outcome` says), task type,
    /// confidence, difficulty, cost (when known), estimated cost, fallback, retries and cache plan.
    static func of(_ call: RoutedCall, outcome: Dispatcher.Outcome?, cost: Money?) -> HTTPFields {
        var fields: HTTPFields = [:]
        // The ten headers here and the few the caller adds (content type, ids, overhead), in one allocation.
        fields.reserveCapacity(16)
        fields[.routerRequestID] = call.requestID
        fields[.routerModel] = outcome?.model.id ?? call.decision.model
        fields[.routerTaskType] = call.decision.classification.taskType
        fields[.routerConfidence] = String(format3(call.decision.classification.confidence))
        fields[.routerDifficulty] = call.decision.difficultyHeader
        if let cost { fields[.routerCost] = cost.exactDollars }
        fields[.routerEstimatedCost] = call.decision.estimatedCost.exactDollars
        if let outcome, outcome.model.id != call.decision.model { fields[.routerFallback] = call.decision.model }
        if let outcome, outcome.attempts.count > 1 { fields[.routerRetries] = String(outcome.attempts.count - 1) }
        fields[.routerCachePlan] = call.cachePlan
        return fields
    }

    /// `value` with three decimals (`0.875`), as the confidence header and log line show it.
    static func format3(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)"
    }
}
