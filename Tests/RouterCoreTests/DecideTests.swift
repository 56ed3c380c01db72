import ClaudeAPI
import Testing

@testable import RouterCore

/// `Router.decide`: one value with the routing, the cache plan (who placed which breakpoint) and the deferral.
@Suite struct DecideTests {
    static let now: Int64 = 1_800_000_000_000

    static func request(clientMarked: Bool, taskType: String = "classification") throws -> DecisionRequest {
        let system: JSONValue =
            clientMarked
            ? [["type": "text", "text": "You sort reviews.", "cache_control": ["type": "ephemeral", "ttl": "1h"]]]
            : "You sort reviews."
        let body: JSONObject = [
            "model": "auto", "max_tokens": 16, "system": system,
            "messages": [["role": "user", "content": "Classify the sentiment: great product"]],
        ]
        return DecisionRequest(body: body, client: "dev", taskTypeHint: taskType)
    }

    static func decide(
        _ request: DecisionRequest, terms: RunTerms, plan: CachePlan = .none(mode: .auto, reason: "cold"),
        rateLimited: @escaping (Decision) -> Bool = { _ in false }
    ) throws -> Decision {
        try Router.decide(
            request, client: Shipped.dev, policy: Shipped.policy, spend: { _ in (.zero, .zero) }, nowMillis: now,
            terms: terms, rateLimited: rateLimited, planCache: { features, _, _, _ in
                #expect(features.taskType == "classification")
                return plan
            })
    }

    @Test func theClientsBreakpointsArePartOfThePlanAndItsLedgerForm() throws {
        let d = try Self.decide(Self.request(clientMarked: true), terms: RunTerms(priority: .interactive))
        #expect(d.cache.owner == .client)
        #expect(d.cache.ledgerForm == "client:system[0]:1h")
        #expect(d.cache.placed == [CachePlan.Placed(location: "system[0]", ttl: .oneHour, placedBy: .client)])
        let none = try Self.decide(Self.request(clientMarked: false), terms: RunTerms(priority: .interactive))
        #expect(none.cache.owner == .none)
        #expect(none.cache.ledgerForm == "none")
    }

    @Test func theRoutersBreakpointsNameTheLedgerFormAndTheOwnerIsBothWithTheClients() throws {
        let planned = CachePlan(
            mode: .auto,
            breakpoints: [
                CachePlan.Breakpoint(
                    location: .message(index: 0, block: 0), kind: .conversation, blockPosition: 1, ttl: .fiveMinutes,
                    prefixTokens: 2000, expectedHitsMilli: 2000, expectsRead: false, reason: "pays")
            ], reasons: ["pays"], expectedSaving: .zero)
        let d = try Self.decide(Self.request(clientMarked: true), terms: RunTerms(priority: .interactive), plan: planned)
        #expect(d.cache.owner == .both)
        #expect(d.cache.ledgerForm == "messages:5m")
        #expect(d.cache.placed.map(\.placedBy) == [.client, .router])
        #expect(d.json["cache"]?["by"] == "both")
    }

    @Test func aBackgroundTaskIsDeferredAndAMessagesCallNever() throws {
        let request = try Self.request(clientMarked: false)
        let task = try Self.decide(request, terms: RunTerms(priority: .background))
        #expect(task.deferral.reason == .background)
        #expect(task.priority == .background)
        let call = try Self.decide(request, terms: RunTerms(priority: .background, runsNow: "only tasks are deferred"))
        #expect(call.deferral == Deferral(reason: nil, note: "only tasks are deferred"))
    }

    @Test func thePacerIsAskedOnlyForABackgroundTaskNothingElseDecides() throws {
        var policy = Shipped.policy
        policy.batches.deferBackground = false
        let request = try Self.request(clientMarked: false)
        var asked = 0
        for priority in [AdmissionQueue.Priority.interactive, .background] {
            let d = try Router.decide(
                request, client: Shipped.dev, policy: policy, spend: { _ in (.zero, .zero) }, nowMillis: Self.now,
                terms: RunTerms(priority: priority), rateLimited: { _ in asked += 1; return true },
                planCache: { _, _, _, _ in .none(mode: .auto, reason: "cold") })
            let expected: Deferral.Reason? = priority == .background ? .rateLimited : nil
            #expect(d.deferral.reason == expected)
        }
        #expect(asked == 1)
    }

    @Test func explainTellsWhyTheDifficultyWasNotJudged() throws {
        let d = try Router.explain(
            DecisionRequest(
                body: ["model": "claude-opus-4-6", "max_tokens": 16, "messages": [["role": "user", "content": "hi"]]],
                client: "dev"),
            client: Shipped.dev, policy: Shipped.policy, spend: { _ in (.zero, .zero) }, nowMillis: Self.now)
        #expect(d.difficulty == nil)
        #expect(d.json["difficulty_not_judged"] == "the caller's model or tier was honoured")
    }
}
