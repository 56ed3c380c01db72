public import RouterCore

/// Routes labelled requests under a policy and measures the decisions against the labels: the acceptable-tier
/// rate, strict accuracy, hard requests sent to Haiku, and cost against always using one tier.
///
/// Costs use the router's own estimate for every request (its estimated input, and the classified task type's
/// typical output capped by `max_tokens`), priced on the policy's default model of each tier, uncached and
/// unbatched, so that the comparison is between tiers and nothing else.
public enum RoutingEvaluation {
    /// One routed, labelled request.
    public struct Outcome: Sendable {
        /// The label.
        public var label: LabelledRequest
        /// The router's decision, or nil when it refused (the error is in `error`).
        public var decision: Decision?
        /// Why the router refused.
        public var error: String?
        /// The routed tier (`label.tier` stands in when the router refused, so counts stay whole).
        public var tier: Tier
        /// The estimated cost on the routed model, and on each tier's default model.
        public var cost: Money
        public var costByTier: [Tier: Money]

        /// Whether the routed tier is in the acceptable set.
        public var acceptable: Bool { label.acceptable.contains(tier) }
    }

    /// Routes every request of `labels` under `policy` on `day` (anonymous client, no budget, no conversation).
    public static func run(_ labels: [LabelledRequest], policy: Policy, day: Day) -> [Outcome] {
        labels.map { label in
            let features = label.features
            var costByTier: [Tier: Money] = [:]
            do {
                let decision = try Router.route(features, client: nil, policy: policy, day: day)
                for tier in Tier.allCases {
                    if let model = policy.defaultModel(of: tier) {
                        costByTier[tier] = Pricing.cost(of: decision.estimatedUsage, model: model, on: day)
                    }
                }
                return Outcome(
                    label: label, decision: decision, error: nil, tier: decision.tier, cost: decision.estimatedCost,
                    costByTier: costByTier)
            } catch {
                return Outcome(
                    label: label, decision: nil, error: "\(error)", tier: label.tier, cost: Money(nanoUSD: 0),
                    costByTier: [:])
            }
        }
    }

    /// Measures `outcomes`.
    public static func report(_ outcomes: [Outcome]) -> RoutingEvaluationReport {
        RoutingEvaluationReport(outcomes: outcomes)
    }

    /// Routes and measures in one call.
    public static func evaluate(_ labels: [LabelledRequest], policy: Policy, day: Day) -> RoutingEvaluationReport {
        report(run(labels, policy: policy, day: day))
    }

    /// The cost/quality curve: the report at each `quality_bias` of `biases`, the rest of the policy unchanged.
    public static func curve(
        _ labels: [LabelledRequest], policy: Policy, day: Day, biases: [Double]
    ) -> [(bias: Double, report: RoutingEvaluationReport)] {
        biases.map { bias in
            var p = policy
            p.routing.qualityBias = bias
            return (bias, evaluate(labels, policy: p, day: day))
        }
    }
}
