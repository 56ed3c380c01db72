/// The router's decision for one request, with the reasons an operator needs to trust or fix it.
///
/// Made by one function, `Router.decide`, for every caller, and shown in one JSON encoding (`json`, see
/// docs/routing.md): `POST /v1/route`, `policy explain --json` and a task's `decision` agree byte for byte for the
/// same request, policy, spend and clock reading.
public struct Decision: Sendable, Hashable {
    /// The classifier's verdict.
    public var classification: Classification
    /// Whether the confidence was below the policy's floor (so the safe tier applied).
    public var lowConfidence: Bool
    /// The tier of the chosen model.
    public var tier: Tier
    /// The model id to call.
    public var model: String
    /// How the model was chosen, step by step ("task type coding → sonnet; floor 'tools' → at least sonnet").
    public var modelReason: String
    /// What the caller asked for (`auto`, a tier, an alias or an id).
    public var requestedModel: String
    /// The model the call would have used without the router (savings are measured against it).
    public var baselineModel: String
    /// The usage the estimate assumes: estimated input, and the task type's typical output capped by `max_tokens`.
    public var estimatedUsage: TokenUsage
    /// The estimated cost on `model`, uncached, unbatched.
    public var estimatedCost: Money
    /// The estimated cost on `baselineModel`.
    public var estimatedBaselineCost: Money
    /// The dated price behind `estimatedCost`.
    public var priceVersion: String
    /// Models to try, in order, when `model` fails with an error the policy's fallbacks name.
    public var fallbackModels: [String]
    /// Whether the task type may be deferred to a batch.
    public var deferrable: Bool
    /// Whether the client's budget asks for deferral (soft limit with action `defer`).
    public var budgetSuggestsDefer: Bool
    /// The budget state the decision was made under.
    public var budget: BudgetStatus
    /// The task type whose budget set `budget`, or nil when the client's budget did (the tighter one applies).
    public var budgetTaskType: String? = nil
    /// The policy snapshot's content hash.
    public var policyHash: String
    /// The request's difficulty as the router model judged it under the policy's `quality_bias`, or nil when the
    /// policy has no router model or the difficulty could not change the model (the caller's model or tier was
    /// honoured, or every difficulty ends on the same tier), in which case the model is not asked.
    public var difficulty: Difficulty? = nil
    /// P(simple), P(standard), P(hard) from the router model (empty without one).
    public var difficultyProbabilities: [Double] = []
    /// The features that decided the difficulty, strongest first (`'prove'`, `shape:user≥4KB`).
    public var difficultyFeatures: [String] = []
    /// Why the difficulty was not judged, when it was not: "the caller's model or tier was honoured", "every
    /// difficulty ends on sonnet", "task type 'x' has one tier", or "difficulty_model: off"; nil when it
    /// was judged.
    public var difficultyNotJudged: String? = nil
    /// The client the decision was made for, nil for none (`policy explain` without `--client`).
    public var client: String? = nil
    /// The priority the request runs at (the caller's, or the client's default).
    public var priority: AdmissionQueue.Priority = .interactive
    /// The prompt-cache plan on `model`: the client's breakpoints and the router's, and why (set by `Router.decide`;
    /// `route` alone plans nothing).
    public var cache: CachePlan = .none(mode: .off, reason: "not planned")
    /// Whether the request goes to a batch, and why (set by `Router.decide`).
    public var deferral = Deferral(reason: nil, note: "not decided")

    /// The `x-router-difficulty` header's value: `simple; p=0.91,0.08,0.01; features='what is',shape:1-line`, or
    /// `none` without a router model.
    public var difficultyHeader: String {
        guard let difficulty else { return "none" }
        let p = difficultyProbabilities.map { String(format3: $0) }.joined(separator: ",")
        let features = difficultyFeatures.map { $0.headerSafe }.joined(separator: ",")
        return "\(difficulty); p=\(p)" + (features.isEmpty ? "" : "; features=\(features)")
    }

    /// One line for logs and `policy explain`: task type, confidence, model, estimate.
    public var summary: String {
        let pct = Int((classification.confidence * 100).rounded())
        return
            "\(classification.taskType) (\(pct)%) → \(model) [\(tier)], est. \(estimatedCost.dollars(decimals: 6)) USD"
            + " vs \(estimatedBaselineCost.dollars(decimals: 6)) on \(baselineModel)"
    }
}

extension String {
    /// `x` with three decimals (`0.910`).
    init(format3 x: Double) {
        let thousandths = Int((Swift.max(0, Swift.min(1, x)) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// The string with anything outside printable ASCII, and `,` `;` `"`, replaced by `?`, for a header value.
    var headerSafe: String {
        String(unicodeScalars.map { s in
            s.value >= 0x20 && s.value < 0x7F && s != "," && s != ";" && s != "\"" ? Character(s) : "?"
        })
    }
}
