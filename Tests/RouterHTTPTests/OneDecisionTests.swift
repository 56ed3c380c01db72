import ClaudeAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import RouterCore
import Testing

@testable import RouterHTTP

/// One request, one decision: `POST /v1/route`, a task's `decision` (as created and as read back) and
/// `policy explain --json` (`Router.explain`, the command's code path) show the same object, byte for byte, for the
/// same request, policy, spend and clock reading.
@Suite struct OneDecisionTests {
    /// A coding request (not deferrable) whose client marked its system prompt for caching.
    static let coding = """
        {"task_type":"coding","model":"auto","max_tokens":512,\
        "system":[{"type":"text","text":"You are a careful Python reviewer.","cache_control":{"type":"ephemeral"}}],\
        "messages":[{"role":"user","content":"Refactor this function to use a list comprehension: def f(xs):\\n  out = []\\n  for x in xs:\\n    out.append(x * 2)\\n  return out"}]}
        """
    /// A background classification task: deferred to a batch.
    static let background = """
        {"task_type":"classification","priority":"background","model":"auto","max_tokens":32,\
        "messages":[{"role":"user","content":"Classify the sentiment of: I love it"}]}
        """

    /// The decision `policy explain --json` prints for `body` (the task fields read as the service reads them).
    static func explained(_ body: String, policy: Policy, nowMillis: Int64) throws -> JSONValue {
        var object = try #require(try JSONValue.parse(body).objectValue)
        let hint = object["task_type"]?.stringValue
        let priority = object["priority"]?.stringValue.flatMap(AdmissionQueue.Priority.init(rawValue:))
        object["task_type"] = nil
        object["priority"] = nil
        let dev = try #require(policy.client(named: "dev"))
        let decision = try Router.explain(
            DecisionRequest(body: object, client: dev.name, taskTypeHint: hint), client: dev, policy: policy,
            spend: { _ in (.zero, .zero) }, nowMillis: nowMillis, priority: priority)
        return decision.json
    }

    func sameDecisionEverywhere(_ body: String, created status: HTTPResponse.Status) async throws {
        var harness = try BatchHarness()
        let now = SystemClock().nowMillis()
        harness.routerClock = SteppedRouterClock(millis: now)
        let policy = harness.policy
        try await harness.run { env in
            let route = try await env.client.post("/v1/route", json: body)
            #expect(route.status == .ok, "\(route.text)")
            let routed = try #require(route.json["decision"])
            let created = try await env.client.post("/v1/tasks", json: body)
            #expect(created.status == status, "\(created.text)")
            let id = try #require(created.json["id"]?.stringValue)
            let read = try await env.getTask(id)
            #expect(read.status == .ok)
            let explained = try Self.explained(body, policy: policy, nowMillis: now)
            let bytes = String(decoding: routed.serialized(), as: UTF8.self)
            #expect(String(decoding: (created.json["decision"] ?? .null).serialized(), as: UTF8.self) == bytes)
            #expect(String(decoding: (read.json["decision"] ?? .null).serialized(), as: UTF8.self) == bytes)
            #expect(String(decoding: explained.serialized(), as: UTF8.self) == bytes)
        }
    }

    @Test func aTaskAnsweredNowShowsTheDecisionOfRouteAndExplain() async throws {
        try await sameDecisionEverywhere(Self.coding, created: .ok)
    }

    @Test func aDeferredTaskShowsTheDecisionOfRouteAndExplain() async throws {
        try await sameDecisionEverywhere(Self.background, created: .accepted)
    }

    @Test func theDecisionObjectHasTheDocumentedFields() throws {
        let policy = try BatchHarness.policy()
        let decision = try Self.explained(Self.coding, policy: policy, nowMillis: SystemClock().nowMillis())
        let keys = decision.objectValue?.keys ?? []
        #expect(
            keys == [
                "task_type", "confidence", "classified_by", "classification_reason", "low_confidence", "difficulty",
                "difficulty_probabilities", "difficulty_features", "difficulty_not_judged", "model", "tier",
                "model_reason", "requested_model", "baseline_model", "fallback_models", "estimated_input_tokens",
                "estimated_output_tokens", "estimated_cost_usd", "estimated_cost_nano_usd", "baseline_cost_usd",
                "baseline_cost_nano_usd", "price_version", "client", "priority", "deferrable",
                "budget_suggests_defer", "budget", "cache", "deferral", "policy_hash",
            ])
        #expect(decision["policy_hash"]?.stringValue?.count == 64)
        #expect(decision["cache"]?["by"] == "client")
        #expect(decision["cache"]?["plan"] == "client:system[0]:5m")
        #expect(decision["cache"]?["breakpoints"]?.arrayValue?.first?["placed_by"] == "client")
        #expect(decision["deferral"]?["deferred"] == false)
        #expect(decision["deferral"]?["note"]?.stringValue?.contains("not deferrable") == true)
    }

    @Test func aTaskStoredByThePreviousVersionIsStillRead() throws {
        let old = #"""
            {"request_id":"req_1","decision":{"task_type":"classification","classifier_reason":"hint",\#
            "estimated_baseline_cost_usd":"0.000010000","routed_model":"claude-haiku-4-5","deferred":true,\#
            "defer_reason":"background","defer_note":"background priority"},"metadata":{"k":"v"},\#
            "policy_hash":"abc","confidence_millis":1000,"classifier_reason":"hint","requested_model":"auto",\#
            "baseline_model":"claude-sonnet-4-6","tier":"haiku","cache_plan":"none","deferral":"deferred:background",\#
            "cache_by":"client","inference_geo":"us","reserved_nano":42}
            """#
        let meta = TaskMeta(text: old)
        #expect(meta.requestID == "req_1")
        #expect(meta.routing.policyHash == "abc")
        #expect(meta.routing.classifierReason == "hint")
        #expect(meta.routing.baselineModel == "claude-sonnet-4-6")
        #expect(meta.routing.tier == "haiku")
        #expect(meta.deferral == "deferred:background")
        #expect(meta.cacheBy == .client)
        #expect(meta.inferenceGeo == "us")
        #expect(meta.reservedNano == 42)
        #expect(meta.metadata["k"] == "v")
        #expect(meta.decision["classification_reason"] == "hint")
        #expect(meta.decision.objectValue?.keys.contains("classifier_reason") == false)
        #expect(meta.decision["baseline_cost_usd"] == "0.000010000")
        #expect(meta.decision["deferral"]?["reason"] == "background")
        #expect(meta.decision["deferral"]?["deferred"] == true)
    }

    @Test func aTaskStoredNowReadsItsLedgerFieldsBackFromTheDecision() throws {
        let policy = try BatchHarness.policy()
        var object = try #require(try JSONValue.parse(Self.background).objectValue)
        object["task_type"] = nil
        object["priority"] = nil
        let dev = try #require(policy.client(named: "dev"))
        let decision = try Router.explain(
            DecisionRequest(body: object, client: "dev", taskTypeHint: "classification"), client: dev,
            policy: policy, spend: { _ in (.zero, .zero) }, nowMillis: SystemClock().nowMillis(),
            priority: .background)
        #expect(decision.deferral.reason == .background)
        var meta = TaskMeta(requestID: "req_2", decision: decision, metadata: .object([:]))
        meta.reservedNano = 7
        let read = TaskMeta(text: String(decoding: meta.json.serialized(), as: UTF8.self))
        #expect(read.decision == decision.json)
        #expect(read.routing.policyHash == policy.contentHash)
        #expect(read.routing.confidenceMillis == decision.classification.confidenceMillis)
        #expect(read.routing.classifierReason == decision.classification.reason)
        #expect(read.routing.requestedModel == "auto")
        #expect(read.routing.baselineModel == decision.baselineModel)
        #expect(read.routing.tier == decision.tier.rawValue)
        #expect(read.cachePlan == "none")
        #expect(read.cacheBy == UsageRecord.CacheOwner.none)
        #expect(read.deferral == "deferred:background")
        #expect(read.reservedNano == 7)
    }
}
