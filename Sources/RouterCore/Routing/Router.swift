/// Turns a request's features into a `Decision`: task type → tier → model, under the policy's rules.
///
/// Order of the rules: a hard budget limit (the client's, or the classified task type's) refuses; the explicit-model
/// rule may settle the model outright; otherwise the task type's tier for the request's difficulty (the router
/// model's verdict under `quality_bias`, asked only when it can change the model; a task type with one tier ignores
/// it), raised to the safe tier on low
/// task-type confidence (one-tier task types only), raised by every matching floor and by the conversation's
/// tier (a later turn never goes down), lowered one tier by a soft budget limit (never below a floor or the
/// conversation's tier), then the first
/// model of that tier the client may use and whose context window holds the input, searching higher tiers, then
/// lower ones, when none does.
public enum Router {
    /// Classifies and routes a request.
    /// - Parameters:
    ///   - features: the request's features.
    ///   - client: the calling client, or nil for an anonymous/unrestricted caller.
    ///   - policy: the policy snapshot.
    ///   - budget: the client's budget state (see `BudgetCheck`).
    ///   - taskTypeBudget: the budget state of a task type within the client's budget, asked once the request is
    ///     classified (see `BudgetCheck.evaluate(taskType:of:nowMillis:spend:)`); the tighter of the two applies.
    ///   - day: the UTC day whose prices apply.
    ///   - conversationTier: the tier earlier turns of this conversation went to (see `ConversationTiers`); the
    ///     request gets at least it.
    /// - Throws: `RoutingError` for an unknown task type or model, an exhausted budget, or no usable model.
    public static func route(
        _ features: RoutingFeatures, client: ClientSpec?, policy: Policy, budget: BudgetStatus = .ok,
        taskTypeBudget: (String) -> BudgetStatus = { _ in .ok }, day: Day, conversationTier: Tier? = nil
    ) throws(RoutingError) -> Decision {
        // The model's task head runs only when no hint or rule names the task type; its difficulty head only when
        // the difficulty can change the model (see `decide`), so a matching rule with an explicit model, a one-tier
        // task type or a floor that already holds the top tier costs no prediction.
        var prediction: RouterModelPrediction?
        let classification = try TaskClassifier.classify(features, policy: policy) {
            prediction = policy.routerModel?.predict(features)
            return prediction
        }
        return try decide(
            features, classification: classification, hasModel: policy.routerModel != nil,
            predict: { prediction ?? policy.routerModel?.predict(features, taskHead: false) }, client: client,
            policy: policy, budget: budget, taskTypeBudget: taskTypeBudget, day: day,
            conversationTier: conversationTier)
    }

    /// Routes a request whose task type is already decided.
    /// - Parameter prediction: the router model's prediction (nil: no difficulty); it is used only where the
    ///   difficulty can change the model.
    public static func decide(
        _ features: RoutingFeatures, classification: Classification, prediction: RouterModelPrediction? = nil,
        client: ClientSpec?, policy: Policy, budget clientBudget: BudgetStatus = .ok,
        taskTypeBudget: (String) -> BudgetStatus = { _ in .ok }, day: Day, conversationTier: Tier? = nil
    ) throws(RoutingError) -> Decision {
        try decide(
            features, classification: classification, hasModel: prediction != nil, predict: { prediction },
            client: client, policy: policy, budget: clientBudget, taskTypeBudget: taskTypeBudget, day: day,
            conversationTier: conversationTier)
    }

    /// `decide`, asking `predict` for the difficulty only when it can change the model: not when the caller's
    /// model or tier is honoured, and not when every difficulty would end on the same tier (a task type with one
    /// tier, or floors and the conversation already holding the highest tier the difficulty could pick).
    /// - Parameter hasModel: whether `predict` gives a prediction (a task type's per-difficulty tiers apply only
    ///   with one; without, its `standard` tier and the low-confidence safe tier do).
    static func decide(
        _ features: RoutingFeatures, classification: Classification, hasModel: Bool,
        predict: () -> RouterModelPrediction?, client: ClientSpec?, policy: Policy, budget clientBudget: BudgetStatus,
        taskTypeBudget: (String) -> BudgetStatus, day: Day, conversationTier: Tier?
    ) throws(RoutingError) -> Decision {
        let verdict = BudgetVerdict.tighter(
            client: clientBudget, taskType: classification.taskType, taskTypeBudget(classification.taskType))
        let budget = verdict.status
        if case .hardLimit(let period, _, let limit, let resets) = budget {
            throw RoutingError(
                .budgetExhausted,
                "client '\(client?.name ?? "")' has used its \(verdict.describe(period)) of "
                    + "$\(limit.readableDollars); it resets at \(Day(epochMillis: resets))T00:00:00Z")
        }
        guard let taskType = policy.taskTypes[classification.taskType] else {
            throw RoutingError(.unknownTaskType, "unknown task type '\(classification.taskType)'")
        }
        let requested = features.requestedModel.trimmingSpaces
        var explicitTier: Tier?
        var explicitModel: ModelSpec?
        if requested.isEmpty || requested.lowercased() == "auto" {
        } else if let tier = Tier(rawValue: requested.lowercased()) {
            explicitTier = tier
        } else if let model = policy.model(named: requested) {
            explicitModel = model
        } else if policy.routing.explicitModel != .never {
            switch policy.routing.unknownModels {
            case .refuse:
                throw RoutingError(.unknownModel, unknownModelMessage(requested, policy: policy))
            case .nearestTier:
                // The tier the id names (`claude-opus-4-1` → opus); an id that names none routes as `auto`.
                explicitTier = nearestTier(of: requested)
            }
        }
        let baseline =
            explicitModel ?? explicitTier.flatMap(policy.defaultModel(of:))
            ?? policy.routing.baselineModel.flatMap(policy.model(named:))
            ?? policy.defaultModel(of: policy.routing.baselineTier) ?? policy.models[0]
        let allows: (ModelSpec) -> Bool = { client?.allows($0) ?? true }
        let fits: (ModelSpec) -> Bool = { features.estimatedInputTokens <= $0.contextWindow }
        let lowConfidence = classification.confidence < policy.classifier.confidenceFloor
        var reasons: [String] = []
        var chosen: ModelSpec?

        switch policy.routing.explicitModel {
        case .always:
            if let model = explicitModel {
                guard fits(model) else {
                    throw RoutingError(
                        .tooLarge,
                        "the request (~\(features.estimatedInputTokens) tokens) exceeds \(model.id)'s context window of \(model.contextWindow)"
                    )
                }
                chosen = model
                reasons.append("the caller asked for \(model.id) (policy: explicit model always honoured)")
            } else if let tier = explicitTier {
                chosen = pick(tier: tier, policy: policy, allows: { _ in true }, fits: fits, reasons: &reasons)
                reasons.insert("the caller asked for tier \(tier) (policy: explicit model always honoured)", at: 0)
            }
        case .allowed:
            if let model = explicitModel {
                if allows(model) && fits(model) {
                    chosen = model
                    reasons.append("the caller asked for \(model.id), which the client may use")
                } else if !allows(model) {
                    // A client may only use its allowed models or tiers: naming another one is refused, not rerouted.
                    throw RoutingError(
                        .noAllowedModel, "client '\(client?.name ?? "")' may not use \(model.id)")
                } else {
                    reasons.append("the caller asked for \(model.id), but the input does not fit its context window")
                }
            } else if let tier = explicitTier {
                var sub: [String] = []
                if let model = pick(tier: tier, policy: policy, allows: allows, fits: fits, reasons: &sub, exact: true)
                {
                    chosen = model
                    reasons.append("the caller asked for tier \(tier)")
                    reasons += sub
                } else if !policy.models.contains(where: { $0.tier == tier && allows($0) }) {
                    throw RoutingError(.noAllowedModel, "client '\(client?.name ?? "")' may not use the \(tier) tier")
                } else {
                    reasons.append("the caller asked for tier \(tier), but no model of it fits the input")
                }
            }
        case .never:
            if !requested.isEmpty, requested.lowercased() != "auto" {
                reasons.append("the caller's model '\(requested)' is ignored (policy: explicit model never honoured)")
            }
        }

        var prediction: RouterModelPrediction?
        var difficulty: Difficulty?
        var notJudged: String? = chosen == nil ? nil : "the caller's model or tier was honoured"
        if chosen == nil {
            // Floors and the conversation do not depend on the difficulty: known first, they tell whether the
            // difficulty can change anything.
            let floors = policy.routing.floors.filter { floorApplies($0, features) }
            var floorTier = floors.map(\.atLeast).max()
            if let conversationTier { floorTier = max(floorTier ?? conversationTier, conversationTier) }
            let safeTier = lowConfidence ? policy.classifier.safeTier : nil
            // The tier before a soft limit for each difficulty: the task type's, the safe tier (one-tier task
            // types only), the floors and the conversation.
            func held(_ difficulty: Difficulty?) -> Tier {
                let (tier, byDifficulty) = taskType.tier(for: difficulty)
                var held = tier
                if !byDifficulty, let safeTier { held = max(held, safeTier) }
                if let floorTier { held = max(held, floorTier) }
                return held
            }
            let judged: Difficulty?
            var unjudged: Tier?
            if hasModel, taskType.tiers != nil {
                let tiers = Difficulty.allCases.map(held)
                if tiers.allSatisfy({ $0 == tiers[0] }) {
                    judged = .standard  // every difficulty ends on the same tier: the model is not asked
                    unjudged = tiers[0]
                } else {
                    prediction = predict()
                    difficulty = prediction?.difficulty(qualityBias: policy.routing.qualityBias)
                    judged = difficulty
                }
            } else {
                judged = nil
                notJudged =
                    hasModel
                    ? "task type '\(taskType.name)' has one tier"
                    : "difficulty_model: off"
            }
            if let unjudged { notJudged = "every difficulty ends on \(unjudged)" }
            var (tier, byDifficulty) = taskType.tier(for: judged)
            if byDifficulty, let difficulty {
                reasons.append("task type \(taskType.name), difficulty \(difficulty) → \(tier)")
            } else if let unjudged {
                reasons.append("task type \(taskType.name) → \(tier) (difficulty not judged: every one ends on \(unjudged))")
            } else {
                reasons.append("task type \(taskType.name) → \(tier)")
            }
            if lowConfidence, !byDifficulty, policy.classifier.safeTier > tier {
                tier = policy.classifier.safeTier
                reasons.append(
                    "confidence \(pct(classification.confidence)) below the floor \(pct(policy.classifier.confidenceFloor)) → safe tier \(tier)"
                )
            }
            for floor in floors where floor.atLeast > tier {
                tier = floor.atLeast
                reasons.append("floor '\(floor.name)' → at least \(floor.atLeast)")
            }
            if let conversationTier, conversationTier > tier {
                tier = conversationTier
                reasons.append("the conversation is on \(conversationTier) → stays there")
            }
            if case .softLimit(.downgrade, let period, _, _, _) = budget, let lower = tier.lower {
                if let floorTier, lower < floorTier {
                    reasons.append("\(verdict.describe(period)) past its soft limit, but floors keep \(tier)")
                } else {
                    tier = lower
                    reasons.append("\(verdict.describe(period)) past its soft limit → downgraded to \(tier)")
                }
            }
            chosen = pick(tier: tier, policy: policy, allows: allows, fits: fits, reasons: &reasons)
        }

        guard let model = chosen else {
            let allowed = policy.models.filter(allows)
            if allowed.isEmpty {
                throw RoutingError(.noAllowedModel, "client '\(client?.name ?? "")' may use no model of the policy")
            }
            throw RoutingError(
                .tooLarge,
                "the request (~\(features.estimatedInputTokens) tokens) fits no context window of a model the client may use"
            )
        }
        let usage = TokenUsage(
            input: features.estimatedInputTokens,
            output: max(1, min(features.maxTokens, taskType.expectedOutputTokens)))
        let fallbacks = policy.routing.fallbacks
            .filter { $0.from == model.tier }
            .compactMap { policy.defaultModel(of: $0.to) }
            .filter { allows($0) && fits($0) && $0.id != model.id }
            .map(\.id)
        var suggestsDefer = false
        if case .softLimit(.defer, _, _, _, _) = budget { suggestsDefer = taskType.deferrable }
        return Decision(
            classification: classification, lowConfidence: lowConfidence, tier: model.tier, model: model.id,
            modelReason: reasons.joined(separator: "; "), requestedModel: requested.isEmpty ? "auto" : requested,
            baselineModel: baseline.id, estimatedUsage: usage,
            estimatedCost: Pricing.cost(of: usage, model: model, on: day),
            estimatedBaselineCost: Pricing.cost(of: usage, model: baseline, on: day),
            priceVersion: model.priceVersion(on: day), fallbackModels: uniqued(fallbacks),
            deferrable: taskType.deferrable && policy.batches.enabled, budgetSuggestsDefer: suggestsDefer,
            budget: budget, budgetTaskType: verdict.taskType, policyHash: policy.contentHash, difficulty: difficulty,
            difficultyProbabilities: prediction?.probabilities ?? [],
            difficultyFeatures: difficulty.map { prediction?.decidingFeatures(for: $0) ?? [] } ?? [],
            difficultyNotJudged: difficulty == nil ? notJudged : nil)
    }

    /// Whether a floor's conditions all hold for `f`.
    public static func floorApplies(_ floor: RoutingConfig.Floor, _ f: RoutingFeatures) -> Bool {
        if let min = floor.minInputTokens, f.estimatedInputTokens < min { return false }
        if let tools = floor.tools, f.hasTools != tools { return false }
        if let images = floor.images, f.hasImages != images { return false }
        if let documents = floor.documents, f.hasDocuments != documents { return false }
        if let min = floor.minTurns, f.turns < min { return false }
        return true
    }

    /// The first usable model for `tier`: its default, other models of the tier, then higher tiers, then lower ones
    /// (unless `exact`).
    static func pick(
        tier: Tier, policy: Policy, allows: (ModelSpec) -> Bool, fits: (ModelSpec) -> Bool, reasons: inout [String],
        exact: Bool = false
    ) -> ModelSpec? {
        func ordered(_ t: Tier) -> [ModelSpec] {
            let d = policy.defaultModel(of: t)
            return (d.map { [$0] } ?? []) + policy.models.filter { $0.tier == t && $0.id != d?.id }
        }
        let higher = Tier.allCases.filter { $0 > tier }
        let lower = Tier.allCases.filter { $0 < tier }.reversed()
        let tiers = exact ? [tier] : [tier] + higher + lower
        let preferred = policy.defaultModel(of: tier)
        for t in tiers {
            for model in ordered(t) where allows(model) && fits(model) {
                if model.id == preferred?.id {
                    reasons.append("\(model.id) is \(tier)'s default model")
                } else if let preferred {
                    let why =
                        !allows(preferred)
                        ? "the client may not use \(preferred.id)" : "the input does not fit \(preferred.id)"
                    reasons.append("\(why) → \(model.id)")
                } else {
                    reasons.append("\(model.id) serves \(t)")
                }
                return model
            }
        }
        return nil
    }

    /// The refusal of a model outside the policy: what the router serves instead.
    static func unknownModelMessage(_ requested: String, policy: Policy) -> String {
        let served = policy.models.map { ([$0.id] + $0.aliases).joined(separator: " / ") }
        return "model '\(requested)' is not served by this router; it serves: \(served.joined(separator: ", "))"
            + ", a tier (haiku, sonnet, opus) or auto"
    }

    /// The tier an unknown model id names (`…opus…`, `…sonnet…`, `…haiku…`), nil when it names none.
    static func nearestTier(of id: String) -> Tier? {
        let lowered = id.lowercased()
        return Tier.allCases.reversed().first { lowered.contains($0.rawValue) }
    }

    private static func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}

/// Drops repeated elements, keeping the first of each.
private func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
