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
        // Appended, not set by subscript: every name here is distinct and the set starts empty, so there is nothing
        // to replace, and the subscript's setter would search the fields for the name first.
        func add(_ name: HTTPField.Name, _ value: String) { fields.append(HTTPField(name: name, value: value)) }
        add(.routerRequestID, call.requestID)
        add(.routerModel, outcome?.model.id ?? call.decision.model)
        add(.routerTaskType, call.decision.classification.taskType)
        add(.routerConfidence, String(format3(call.decision.classification.confidence)))
        add(.routerDifficulty, call.decision.difficultyHeader)
        if let cost { add(.routerCost, cost.exactDollars) }
        add(.routerEstimatedCost, call.decision.estimatedCost.exactDollars)
        if let outcome, outcome.model.id != call.decision.model { add(.routerFallback, call.decision.model) }
        if let outcome, outcome.attempts.count > 1 { add(.routerRetries, String(outcome.attempts.count - 1)) }
        add(.routerCachePlan, call.cachePlan)
        return fields
    }

    /// `value` with three decimals (`0.875`), as the confidence header and log line show it.
    static func format3(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)"
    }
}
