public import ClaudeAPI

extension Decision {
    /// The decision as JSON: the one encoding of `POST /v1/route`, `policy explain --json`, and a task's `decision`
    /// (`POST /v1/tasks`, `GET /v1/tasks/{id}`). The field set is documented in docs/routing.md ("The decision
    /// object"); fields are always present, `null` where they do not apply.
    ///
    /// Money is given both exactly (`*_nano_usd`, integers) and as a dollar string with nine decimals.
    public var json: JSONValue {
        let object: JSONObject = [
            "task_type": .string(classification.taskType),
            "confidence": .number(JSONNumber(text: String(Double(classification.confidenceMillis) / 1000))),
            "classified_by": .string(classification.source.rawValue),
            "classification_reason": .string(classification.reason),
            "low_confidence": .bool(lowConfidence),
            "difficulty": difficulty.map { .string($0.rawValue) } ?? .null,
            "difficulty_probabilities": .object(
                difficultyProbabilities.count == 3
                    ? [
                        "simple": .number(JSONNumber(text: String(format3: difficultyProbabilities[0]))),
                        "standard": .number(JSONNumber(text: String(format3: difficultyProbabilities[1]))),
                        "hard": .number(JSONNumber(text: String(format3: difficultyProbabilities[2]))),
                    ] : [:]),
            "difficulty_features": .array(difficultyFeatures.map { .string($0) }),
            "difficulty_not_judged": difficultyNotJudged.map(JSONValue.string) ?? .null,
            "model": .string(model),
            "tier": .string(tier.rawValue),
            "model_reason": .string(modelReason),
            "requested_model": .string(requestedModel),
            "baseline_model": .string(baselineModel),
            "fallback_models": .array(fallbackModels.map { .string($0) }),
            "estimated_input_tokens": .number(JSONNumber(estimatedUsage.input)),
            "estimated_output_tokens": .number(JSONNumber(estimatedUsage.output)),
            "estimated_cost_usd": .string(estimatedCost.exactDollars),
            "estimated_cost_nano_usd": .number(JSONNumber(estimatedCost.nanoUSD)),
            "baseline_cost_usd": .string(estimatedBaselineCost.exactDollars),
            "baseline_cost_nano_usd": .number(JSONNumber(estimatedBaselineCost.nanoUSD)),
            "price_version": .string(priceVersion),
            "client": client.map(JSONValue.string) ?? .null,
            "priority": .string(priority.rawValue),
            "deferrable": .bool(deferrable),
            "budget_suggests_defer": .bool(budgetSuggestsDefer),
            "budget": budgetJSON,
            "cache": cache.json,
            "deferral": .object([
                "deferred": .bool(deferral.deferred),
                "reason": deferral.reason.map { .string($0.rawValue) } ?? .null,
                "note": .string(deferral.note),
            ]),
            "policy_hash": .string(policyHash),
        ]
        return .object(object)
    }

    /// `{"state":"ok"}`, or the limit reached: which, by whom (`scope`), spent, limit and when it resets.
    var budgetJSON: JSONValue {
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
        return .object(budgetJSON)
    }
}

extension CachePlan {
    /// The plan as the decision shows it: `{"mode","plan","by","breakpoints":[{"location","ttl","placed_by"}],
    /// "reasons"}`; `plan` is the ledger's short form (`ledgerForm`), `by` whose breakpoints go upstream.
    public var json: JSONValue {
        .object([
            "mode": .string(mode.rawValue),
            "plan": .string(ledgerForm),
            "by": .string(owner.rawValue),
            "breakpoints": .array(
                placed.map {
                    .object([
                        "location": .string($0.location), "ttl": .string($0.ttl.rawValue),
                        "placed_by": .string($0.placedBy.rawValue),
                    ])
                }),
            "reasons": .array(reasons.map { .string($0) }),
        ])
    }
}
