import ClaudeAPI
import RouterCore

/// The routing decision's part of a ledger row: the policy hash, the classification's confidence and reason, the
/// requested and baseline models, the tier. Kept with the work whose row is written after the request was answered:
/// a deferred task (`TaskMeta`) and a request of a client's Message Batch (`BatchItemMeta`).
struct RoutingFields: Sendable, Hashable {
    var policyHash: String
    var confidenceMillis: Int
    var classifierReason: String
    var requestedModel: String
    var baselineModel: String
    var tier: String
}

extension RoutingFields {
    /// The fields of `decision`, made under the policy whose content hash is `policyHash`.
    init(_ decision: Decision, policyHash: String) {
        self.policyHash = policyHash
        confidenceMillis = decision.classification.confidenceMillis
        classifierReason = decision.classification.reason
        requestedModel = decision.requestedModel
        baselineModel = decision.baselineModel
        tier = decision.tier.rawValue
    }

    /// Reads the fields kept at the top level of a stored object under the ledger's names (`policy_hash`,
    /// `confidence_millis`, `classifier_reason`, `requested_model`, `baseline_model`, `tier`), as `BatchItemMeta`
    /// keeps them and `TaskMeta` did before the decision had one encoding. An absent field reads as empty, an absent
    /// confidence as `absentConfidence`.
    init(topLevelOf object: JSONObject, absentConfidence: Int) {
        policyHash = object["policy_hash"]?.stringValue ?? ""
        confidenceMillis = object["confidence_millis"]?.intValue ?? absentConfidence
        classifierReason = object["classifier_reason"]?.stringValue ?? ""
        requestedModel = object["requested_model"]?.stringValue ?? ""
        baselineModel = object["baseline_model"]?.stringValue ?? ""
        tier = object["tier"]?.stringValue ?? ""
    }
}
