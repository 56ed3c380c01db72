public import ClaudeAPI

extension Decision {
    /// The decision as JSON, for `POST /v1/route` and `policy explain --json`.
    ///
    /// Money is given both exactly (`*_nano_usd`, integers) and as a dollar string with nine decimals.
    public var json: JSONValue {
        var budgetJSON: JSONObject = ["state": "ok"]
        switch budget {
        case .ok: break
        case .softLimit(let action, let period, let spent, let limit, let resets):
            budgetJSON = [
                "state": "soft_limit", "action": .string(action.rawValue), "period": .string(period.rawValue),
                "spent_usd": .string(spent.exactDollars), "limit_usd": .string(limit.exactDollars),
                "resets_at_ms": .number(JSONNumber(resets)),
            ]
        case .hardLimit(let period, let spent, let limit, let resets):
            budgetJSON = [
                "state": "hard_limit", "period": .string(period.rawValue), "spent_usd": .string(spent.exactDollars),
                "limit_usd": .string(limit.exactDollars), "resets_at_ms": .number(JSONNumber(resets)),
            ]
        }
        if budget != .ok {
            budgetJSON["scope"] = budgetTaskType == nil ? "client" : "task_type"
            if let budgetTaskType { budgetJSON["task_type"] = .string(budgetTaskType) }
        }
        let object: JSONObject = [
            "task_type": .string(classification.taskType),
            "confidence": .number(JSONNumber(text: String(Double(classification.confidenceMillis) / 1000))),
            "classified_by": .string(classification.source.rawValue),
            "classification_reason": .string(classification.reason),
            "low_confidence": .bool(lowConfidence),
            "model": .string(model),
            "tier": .string(tier.rawValue),
            "model_reason": .string(modelReason),
            "requested_model": .string(requestedModel),
            "baseline_model": .string(baselineModel),
            "estimated_input_tokens": .number(JSONNumber(estimatedUsage.input)),
            "estimated_output_tokens": .number(JSONNumber(estimatedUsage.output)),
            "estimated_cost_usd": .string(estimatedCost.exactDollars),
            "estimated_cost_nano_usd": .number(JSONNumber(estimatedCost.nanoUSD)),
            "baseline_cost_usd": .string(estimatedBaselineCost.exactDollars),
            "baseline_cost_nano_usd": .number(JSONNumber(estimatedBaselineCost.nanoUSD)),
            "price_version": .string(priceVersion),
            "fallback_models": .array(fallbackModels.map { .string($0) }),
            "deferrable": .bool(deferrable),
            "budget_suggests_defer": .bool(budgetSuggestsDefer),
            "budget": .object(budgetJSON),
            "policy_hash": .string(policyHash),
            "difficulty": difficulty.map { .string($0.rawValue) } ?? .null,
            "difficulty_probabilities": .object(
                difficultyProbabilities.count == 3
                    ? [
                        "simple": .number(JSONNumber(text: String(format3: difficultyProbabilities[0]))),
                        "standard": .number(JSONNumber(text: String(format3: difficultyProbabilities[1]))),
                        "hard": .number(JSONNumber(text: String(format3: difficultyProbabilities[2]))),
                    ] : [:]),
            "difficulty_features": .array(difficultyFeatures.map { .string($0) }),
        ]
        return .object(object)
    }
}
