import ClaudeAPI
import RouterCore

/// What the service stores beside a deferred task's request (the `meta_json` column): the decision shown to the
/// client, and what its ledger row needs when the batch result arrives hours later, perhaps in another process.
struct TaskMeta: Sendable {
    var requestID: String
    /// The decision object as `POST /v1/tasks` answered it (with `deferred` and `defer_reason`).
    var decision: JSONValue
    var metadata: JSONValue
    var policyHash: String
    var confidenceMillis: Int
    var classifierReason: String
    var requestedModel: String
    var baselineModel: String
    var tier: String
    var cachePlan: String
    var deferral: String
    /// Whose cache breakpoints the request carries (prices the baseline and the client's cache savings).
    var cacheBy: UsageRecord.CacheOwner = .none
    /// The request's `inference_geo`, nil when it named none.
    var inferenceGeo: String?
    /// The budget reservation the task holds until it finishes (rebuilt from here at start).
    var reservedNano: Int64 = 0

    var json: JSONValue {
        .object([
            "request_id": .string(requestID), "decision": decision, "metadata": metadata,
            "policy_hash": .string(policyHash), "confidence_millis": .number(JSONNumber(confidenceMillis)),
            "classifier_reason": .string(classifierReason), "requested_model": .string(requestedModel),
            "baseline_model": .string(baselineModel), "tier": .string(tier), "cache_plan": .string(cachePlan),
            "deferral": .string(deferral), "cache_by": .string(cacheBy.rawValue),
            "inference_geo": inferenceGeo.map(JSONValue.string) ?? .null,
            "reserved_nano": .number(JSONNumber(Int(reservedNano))),
        ])
    }

    init(
        requestID: String, decision: JSONValue, metadata: JSONValue, policyHash: String, confidenceMillis: Int,
        classifierReason: String, requestedModel: String, baselineModel: String, tier: String, cachePlan: String,
        deferral: String
    ) {
        self.requestID = requestID
        self.decision = decision
        self.metadata = metadata
        self.policyHash = policyHash
        self.confidenceMillis = confidenceMillis
        self.classifierReason = classifierReason
        self.requestedModel = requestedModel
        self.baselineModel = baselineModel
        self.tier = tier
        self.cachePlan = cachePlan
        self.deferral = deferral
    }

    /// Reads the stored text; missing fields get neutral values so an old or damaged row still answers.
    init(text: String?) {
        let object = text.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue ?? [:]
        requestID = object["request_id"]?.stringValue ?? ""
        decision = object["decision"] ?? .null
        metadata = object["metadata"] ?? .object([:])
        policyHash = object["policy_hash"]?.stringValue ?? ""
        confidenceMillis = object["confidence_millis"]?.intValue ?? 1000
        classifierReason = object["classifier_reason"]?.stringValue ?? ""
        requestedModel = object["requested_model"]?.stringValue ?? ""
        baselineModel = object["baseline_model"]?.stringValue ?? ""
        tier = object["tier"]?.stringValue ?? ""
        cachePlan = object["cache_plan"]?.stringValue ?? "none"
        deferral = object["deferral"]?.stringValue ?? "deferred"
        cacheBy = object["cache_by"]?.stringValue.flatMap(UsageRecord.CacheOwner.init(rawValue:)) ?? .none
        inferenceGeo = object["inference_geo"]?.stringValue
        reservedNano = Int64(object["reserved_nano"]?.intValue ?? 0)
    }
}
