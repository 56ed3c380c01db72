import ClaudeAPI
import RouterCore

/// What the service stores beside a deferred task's request (the `meta_json` column): the decision shown to the
/// client, and what its ledger row needs when the batch result arrives hours later, perhaps in another process.
///
/// Stored as `{"request_id","decision":<Decision.json>,"metadata","inference_geo","reserved_nano"}`: the ledger's
/// fields (policy hash, confidence, classifier reason, models, tier, cache plan and owner, deferral) are read back
/// from the decision object, so they are stored once. Rows of the earlier shape, with those fields at the top level
/// and a decision of the earlier encoding, are still read (`init(text:)`).
struct TaskMeta: Sendable {
    var requestID: String
    /// The decision object as `POST /v1/tasks` answered it (`Decision.json`).
    var decision: JSONValue
    var metadata: JSONValue
    var routing: RoutingFields
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
            "inference_geo": inferenceGeo.map(JSONValue.string) ?? .null,
            "reserved_nano": .number(JSONNumber(Int(reservedNano))),
        ])
    }

    /// The meta of a task deferred under `decision`.
    init(requestID: String, decision: Decision, metadata: JSONValue) {
        self.requestID = requestID
        self.decision = decision.json
        self.metadata = metadata
        routing = RoutingFields(decision, policyHash: decision.policyHash)
        cachePlan = decision.cache.ledgerForm
        deferral = decision.deferral.ledgerForm
        cacheBy = decision.cache.owner
    }

    /// Reads the stored text; missing fields get neutral values so an old or damaged row still answers.
    init(text: String?) {
        let object = text.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue ?? [:]
        requestID = object["request_id"]?.stringValue ?? ""
        metadata = object["metadata"] ?? .object([:])
        inferenceGeo = object["inference_geo"]?.stringValue
        reservedNano = Int64(object["reserved_nano"]?.intValue ?? 0)
        if object["classifier_reason"] != nil || object["policy_hash"] != nil {
            // Written before the decision had one encoding: the ledger's fields sit at the top level.
            decision = Self.upgraded(object["decision"] ?? .null)
            routing = RoutingFields(topLevelOf: object, absentConfidence: 1000)
            cachePlan = object["cache_plan"]?.stringValue ?? "none"
            deferral = object["deferral"]?.stringValue ?? "deferred"
            cacheBy = object["cache_by"]?.stringValue.flatMap(UsageRecord.CacheOwner.init(rawValue:)) ?? .none
            return
        }
        let d = object["decision"] ?? .null
        decision = d
        routing = RoutingFields(
            policyHash: d["policy_hash"]?.stringValue ?? "",
            confidenceMillis: d["confidence"]?.doubleValue.map { Int(($0 * 1000).rounded()) } ?? 1000,
            classifierReason: d["classification_reason"]?.stringValue ?? "",
            requestedModel: d["requested_model"]?.stringValue ?? "",
            baselineModel: d["baseline_model"]?.stringValue ?? "", tier: d["tier"]?.stringValue ?? "")
        cachePlan = d["cache"]?["plan"]?.stringValue ?? "none"
        cacheBy = d["cache"]?["by"]?.stringValue.flatMap(UsageRecord.CacheOwner.init(rawValue:)) ?? .none
        deferral = d["deferral"]?["reason"]?.stringValue.map { "deferred:\($0)" } ?? "deferred"
    }

    /// A decision object of the earlier encoding with today's names, so `GET /v1/tasks/{id}` of a task stored
    /// before shows the documented fields: `classifier_reason` → `classification_reason`,
    /// `estimated_baseline_cost_usd` → `baseline_cost_usd`, `deferred`/`defer_reason`/`defer_note` → `deferral`.
    /// Fields the earlier encoding lacked stay absent.
    static func upgraded(_ old: JSONValue) -> JSONValue {
        guard var object = old.objectValue else { return old }
        for (from, to) in [("classifier_reason", "classification_reason"), ("estimated_baseline_cost_usd", "baseline_cost_usd")] {
            if let value = object[from] {
                object[from] = nil
                object[to] = value
            }
        }
        object["routed_model"] = nil
        if object["deferred"] != nil || object["defer_reason"] != nil {
            let reason = object["defer_reason"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            object["deferral"] = .object([
                "deferred": .bool(object["deferred"]?.boolValue ?? (reason != nil)),
                "reason": reason.map(JSONValue.string) ?? .null,
                "note": object["defer_note"] ?? "",
            ])
            object["deferred"] = nil
            object["defer_reason"] = nil
            object["defer_note"] = nil
        }
        return .object(object)
    }
}
