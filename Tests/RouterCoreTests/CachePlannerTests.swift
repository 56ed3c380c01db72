import ClaudeAPI
import Foundation
import Testing

@testable import RouterCore

/// Sonnet 4.6 at the standard multipliers: $3 input, $3.75 5m write, $6 1h write, $0.30 read; 1,024 minimum.
let sonnet = CacheModelProfile(
    model: "claude-sonnet-4-6", minCacheableTokens: 1_024, inputPerMTok: Money(nanoUSD: 3_000_000_000))

/// Features of a request whose boundaries end at the given token counts; the last one ends the conversation.
func features(
    _ tokens: [Int], kinds: [CacheBoundaryKind]? = nil, markers: [ClientCacheMarker] = [], automatic: CacheTTL? = nil,
    client: String = "app", taskType: String = "coding", hashSeed: UInt64 = 1
) -> CacheRequestFeatures {
    let boundaries = tokens.enumerated().map { index, count in
        CacheBoundary(
            location: .message(index: index, block: 0),
            kind: kinds?[index] ?? (index == tokens.count - 1 ? .conversation : .message),
            blockPosition: index, prefixTokens: count, prefixHash: hashSeed &* 1_000 &+ UInt64(index))
    }
    return CacheRequestFeatures(
        model: sonnet.model, client: client, taskType: taskType, boundaries: boundaries, clientMarkers: markers,
        automaticTTL: automatic, totalTokens: tokens.last ?? 0)
}

func assessment(hits5m: Int, hits1h: Int = 0, cached: CacheTTL? = nil) -> BoundaryAssessment {
    BoundaryAssessment(estimate: ReuseEstimate(hits5mMilli: hits5m, hits1hMilli: hits1h), cachedTTL: cached)
}

func plan(
    _ features: CacheRequestFeatures, _ assessments: [BoundaryAssessment], policy: CachePolicy = CachePolicy(),
    profile: CacheModelProfile = sonnet
) -> CachePlan {
    CacheDecision.plan(features: features, assessments: assessments, profile: profile, policy: policy, nowMillis: 0)
}

@Suite("Cache planner decisions")
struct CachePlannerDecisionTests {
    @Test(
        "a prefix shorter than the model's minimum is never marked",
        arguments: [
            (1_024, 1_023, false), (1_024, 1_024, true), (4_096, 4_095, false), (4_096, 9_000, true), (512, 600, true),
        ])
    func minimumLength(minimum: Int, tokens: Int, marked: Bool) {
        let profile = CacheModelProfile(
            model: "m", minCacheableTokens: minimum, inputPerMTok: Money(nanoUSD: 1_000_000_000))
        // Ten expected hits: worth marking whenever the API would cache it at all.
        let result = plan(features([tokens]), [assessment(hits5m: 10_000)], profile: profile)
        #expect(result.breakpoints.isEmpty == !marked)
        if !marked { #expect(result.reasons.joined().contains("minimum")) }
    }

    @Test(
        "a write is marked only past break-even: r > (w − 1)/(1 − ρ), 0.278 hits for 5m, 1.112 for 1h",
        arguments: [
            (270, 0, nil), (280, 0, CacheTTL.fiveMinutes), (0, 1_100, nil), (0, 1_120, CacheTTL.oneHour),
            (2_000, 1_500, CacheTTL.fiveMinutes), (1_000, 20_000, CacheTTL.oneHour),
        ] as [(Int, Int, CacheTTL?)])
    func breakEven(hits5m: Int, hits1h: Int, expected: CacheTTL?) {
        let result = plan(features([10_000]), [assessment(hits5m: hits5m, hits1h: hits1h)])
        #expect(result.breakpoints.first?.ttl == expected)
        if let breakpoint = result.breakpoints.first {
            // Expected saving = tokens × price × (r·0.9 − (w − 1)), exactly, in nano-dollars.
            let hits = Int64(expected == .oneHour ? hits1h : hits5m)
            let overhead: Int64 = expected == .oneHour ? 1_000 : 250
            #expect(result.expectedSaving.nanoUSD == 10_000 * 3_000 * (hits * 900 - overhead * 1_000) / 1_000_000)
            #expect(breakpoint.prefixTokens == 10_000)
        }
    }

    @Test("break-even follows the model's read price: a cheaper read lowers it")
    func breakEvenWithCheaperRead() {
        // Opus 5.5-like: read 0.05×. 5m break-even = 0.25/0.95 = 0.263 hits.
        let cheapRead = CacheModelProfile(
            model: "m", minCacheableTokens: 1_024, inputPerMTok: Money(nanoUSD: 4_000_000_000),
            write5mPerMTok: Money(nanoUSD: 5_000_000_000), write1hPerMTok: Money(nanoUSD: 8_000_000_000),
            readPerMTok: Money(nanoUSD: 200_000_000))
        #expect(plan(features([5_000]), [assessment(hits5m: 270)], profile: cheapRead).breakpoints.count == 1)
        #expect(plan(features([5_000]), [assessment(hits5m: 270)]).breakpoints.isEmpty)
    }

    @Test("an entry the API still holds is always marked, with its own TTL: reading beats paying full price")
    func cachedEntryIsRead() {
        let result = plan(features([3_000, 8_000]), [assessment(hits5m: 0, cached: .oneHour), assessment(hits5m: 0)])
        #expect(result.breakpoints.count == 1)
        #expect(result.breakpoints[0].blockPosition == 0)
        #expect(result.breakpoints[0].ttl == .oneHour)
        #expect(result.breakpoints[0].expectsRead)
        #expect(result.expectedSaving.nanoUSD == 3_000 * 2_700)
    }

    @Test("boundaries the table cannot tell apart collapse onto the deepest, which caches the most")
    func deepestOfEqualRun() {
        let same = assessment(hits5m: 3_000)
        let result = plan(features([2_000, 4_000, 6_000, 6_100]), [same, same, same, assessment(hits5m: 0)])
        #expect(result.breakpoints.map(\.blockPosition) == [2])
    }

    @Test(
        "the client's markers are kept and the planner only adds within the 4-breakpoint limit",
        arguments: 0...4)
    func clientMarkersRespected(markerCount: Int) {
        let tokens = [2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000, 16_000]
        // The client marks the first positions; every boundary is worth marking.
        let markers = (0..<markerCount).map {
            ClientCacheMarker(
                location: .message(index: $0, block: 0), blockPosition: $0, prefixTokens: tokens[$0], ttl: .fiveMinutes)
        }
        let assessments = tokens.indices.map { assessment(hits5m: 1_000 * (20 - $0)) }
        let result = plan(features(tokens, markers: markers), assessments)
        #expect(result.breakpoints.count == 4 - markerCount)
        #expect(result.breakpoints.allSatisfy { $0.blockPosition >= markerCount })
        if markerCount == 4 { #expect(result.reasons.joined().contains("no free breakpoint")) }
    }

    @Test("at most 4 breakpoints even when every boundary pays", arguments: [4, 6, 12])
    func fourBreakpointLimit(boundaries: Int) {
        let tokens = (1...boundaries).map { $0 * 2_000 }
        // Decreasing reuse: each deeper prefix is worth marking separately.
        let assessments = tokens.indices.map { assessment(hits5m: 5_000 - $0 * 100) }
        let result = plan(features(tokens), assessments)
        #expect(result.breakpoints.count == 4)
        #expect(CacheDecision.isTTLOrderValid(result.breakpoints.map(\.ttl)))
    }

    @Test(
        "no 1h breakpoint after a 5m one, counting the client's",
        arguments: [
            (CacheTTL.fiveMinutes, 0, [CacheTTL.fiveMinutes, .fiveMinutes, .fiveMinutes, .fiveMinutes]),
            (CacheTTL.oneHour, 0, [CacheTTL.oneHour, .oneHour, .oneHour, .oneHour]),
            (CacheTTL.oneHour, 3, [CacheTTL.oneHour, .oneHour, .oneHour, .oneHour]),
            (CacheTTL.fiveMinutes, 3, [CacheTTL.oneHour, .oneHour, .oneHour, .fiveMinutes]),
        ] as [(CacheTTL, Int, [CacheTTL])])
    func ttlOrder(markerTTL: CacheTTL, markerPosition: Int, expected: [CacheTTL]) {
        // Every boundary prefers 1h on its own, but 5m pays too; reuse falls with depth, so each is worth a slot.
        let tokens = [2_000, 4_000, 6_000, 8_000]
        let marker = ClientCacheMarker(
            location: .message(index: markerPosition, block: 0), blockPosition: markerPosition,
            prefixTokens: tokens[markerPosition], ttl: markerTTL)
        let assessments = tokens.indices.map { assessment(hits5m: 3_000 - $0 * 500, hits1h: 10_000 - $0 * 1_000) }
        let result = plan(features(tokens, markers: [marker]), assessments)
        var all = result.breakpoints.map { ($0.blockPosition, $0.ttl) } + [(markerPosition, markerTTL)]
        all.sort { $0.0 < $1.0 }
        #expect(CacheDecision.isTTLOrderValid(all.map(\.1)))
        #expect(all.map(\.1) == expected)
    }

    @Test("a client request that already breaks the TTL order is left alone")
    func invalidClientOrder() {
        let markers = [
            ClientCacheMarker(location: .system(index: 0), blockPosition: 0, prefixTokens: 2_000, ttl: .fiveMinutes),
            ClientCacheMarker(
                location: .message(index: 1, block: 0), blockPosition: 1, prefixTokens: 4_000, ttl: .oneHour),
        ]
        let result = plan(
            features([2_000, 4_000, 6_000], markers: markers), Array(repeating: assessment(hits5m: 9_000), count: 3))
        #expect(result.breakpoints.isEmpty)
    }

    @Test(
        "automatic caching takes the last block and one slot; a 1h automatic TTL keeps additions at 1h",
        arguments: [CacheTTL.fiveMinutes, .oneHour])
    func automaticCaching(ttl: CacheTTL) {
        let tokens = [2_000, 4_000, 6_000, 8_000, 10_000]
        let assessments = tokens.indices.map { assessment(hits5m: 10_000 - $0 * 1_000, hits1h: 10_000 - $0 * 1_000) }
        let request = features(tokens, automatic: ttl)
        #expect(request.occupiedBreakpoints == 1)
        let result = plan(request, assessments)
        #expect(result.breakpoints.count == 3)
        #expect(!result.breakpoints.contains { $0.blockPosition == 4 })
        #expect(CacheDecision.isTTLOrderValid(result.breakpoints.map(\.ttl) + [ttl]))
    }

    @Test("automatic caching is a no-op slot-wise when the last block already has an explicit marker")
    func automaticWithExplicitLast() {
        let marker = ClientCacheMarker(
            location: .message(index: 2, block: 0), blockPosition: 2, prefixTokens: 6_000, ttl: .fiveMinutes)
        let request = features([2_000, 4_000, 6_000], markers: [marker], automatic: .fiveMinutes)
        #expect(request.occupiedBreakpoints == 1)
    }

    @Test(
        "policy: off never marks, force marks stable boundaries, the client's override beats the task type's",
        arguments: [
            (CachePolicy.Mode.off, [String: CachePolicy.Mode](), [String: CachePolicy.Mode](), 0),
            (.auto, ["app": .off], [:], 0),
            (.auto, [:], ["coding": .off], 0),
            (.off, ["app": .auto], ["coding": .off], 1),
            (.off, [:], [:], 0),
            (.force, [:], [:], 3),
            (.auto, [:], ["coding": .force], 3),
        ])
    func policyModes(
        mode: CachePolicy.Mode, clients: [String: CachePolicy.Mode], tasks: [String: CachePolicy.Mode], expected: Int
    ) {
        let policy = CachePolicy(mode: mode, clientModes: clients, taskTypeModes: tasks)
        // Tools, system, an earlier message, the conversation end; only the system prompt pays on its own.
        let request = features([1_500, 5_000, 7_000, 9_000], kinds: [.tools, .system, .message, .conversation])
        let assessments = [
            assessment(hits5m: 0), assessment(hits5m: 3_000), assessment(hits5m: 0), assessment(hits5m: 0),
        ]
        let result = plan(request, assessments, policy: policy)
        #expect(result.breakpoints.count == expected)
        if expected == 3 {
            #expect(result.breakpoints.map(\.kind) == [.tools, .system, .conversation])
            #expect(result.mode == .force)
        }
    }

    @Test("force still respects the minimum length and the free slots")
    func forceWithinLimits() {
        let policy = CachePolicy(mode: .force)
        let markers = [
            ClientCacheMarker(
                location: .message(index: 5, block: 0), blockPosition: 5, prefixTokens: 9_500, ttl: .fiveMinutes),
            ClientCacheMarker(
                location: .message(index: 6, block: 0), blockPosition: 6, prefixTokens: 9_600, ttl: .fiveMinutes),
        ]
        let request = features(
            [500, 5_000, 9_000], kinds: [.tools, .system, .conversation], markers: markers)
        let result = plan(request, [], policy: policy)
        #expect(result.breakpoints.map(\.kind) == [.system, .conversation])
    }
}

@Suite("Cache planner learning")
struct CachePlannerLearningTests {
    /// Observes one prefix `times` times, `gapSeconds` apart, then plans the next sighting after the same gap.
    func planAfterRegularGaps(gapSeconds: Int64, times: Int) -> CachePlan {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 77)
        var now: Int64 = 1_000_000
        for _ in 0..<times {
            planner.observe(request, plan: nil, nowMillis: now)
            now += gapSeconds * 1_000
        }
        return planner.plan(request, profile: sonnet, policy: CachePolicy(), nowMillis: now)
    }

    @Test(
        "the TTL follows the observed gaps: minutes → 5m, tens of minutes → 1h, hours → none",
        arguments: [
            (20, CacheTTL.fiveMinutes), (150, .fiveMinutes), (900, .oneHour), (2_400, .oneHour), (3 * 3_600, nil),
        ]
            as [(Int64, CacheTTL?)])
    func ttlFromGaps(gapSeconds: Int64, expected: CacheTTL?) {
        let result = planAfterRegularGaps(gapSeconds: gapSeconds, times: 5)
        #expect(result.breakpoints.first?.ttl == expected, "\(result.reasons)")
    }

    @Test("a prefix seen once, then again a minute later, is marked on the second sighting")
    func markedOnSecondSighting() {
        let result = planAfterRegularGaps(gapSeconds: 60, times: 1)
        #expect(result.breakpoints.count == 1)
        #expect(!result.breakpoints[0].expectsRead)
    }

    @Test("what the planner marked is read on the next request within the TTL, and not after it")
    func markedThenRead() {
        let planner = CachePlanner()
        let request = features([6_000], kinds: [.system], hashSeed: 5)
        planner.observe(request, plan: nil, nowMillis: 0)
        let second = planner.plan(request, profile: sonnet, policy: CachePolicy(), nowMillis: 60_000)
        planner.observe(request, plan: second, nowMillis: 60_000)
        let third = planner.plan(request, profile: sonnet, policy: CachePolicy(), nowMillis: 120_000)
        #expect(third.breakpoints.first?.expectsRead == true)
        let late = planner.plan(request, profile: sonnet, policy: CachePolicy(), nowMillis: 60_000 + 301_000)
        #expect(late.breakpoints.first?.expectsRead != true)
    }

    @Test("a new conversation end is marked only once new ends of that kind have been seen coming back")
    func priorForNewPrefixes() {
        let planner = CachePlanner()
        let fresh = features([1_000, 8_000], kinds: [.system, .conversation], hashSeed: 1_000)
        #expect(planner.plan(fresh, profile: sonnet, policy: CachePolicy(), nowMillis: 0).breakpoints.isEmpty)
        // Twenty conversations, each continued 30 s later: their ends come back.
        for conversation in 0..<20 {
            let t = Int64(conversation) * 1_000
            let turn = features(
                [1_000, 8_000], kinds: [.system, .conversation], hashSeed: 2_000 + UInt64(conversation))
            planner.observe(turn, plan: nil, nowMillis: t)
            planner.observe(turn, plan: nil, nowMillis: t + 30_000)
        }
        let next = planner.plan(fresh, profile: sonnet, policy: CachePolicy(), nowMillis: 60_000)
        #expect(next.breakpoints.map(\.kind) == [.conversation])
        #expect(next.breakpoints.first?.ttl == .fiveMinutes)
    }

    @Test("the table stays within its capacity", arguments: [64, 1_000])
    func tableBounded(capacity: Int) {
        let planner = CachePlanner(policy: CachePolicy(tableCapacity: capacity))
        for i in 0..<5_000 {
            planner.observe(features([2_000, 4_000], hashSeed: UInt64(i) + 10), plan: nil, nowMillis: Int64(i) * 10)
        }
        #expect(planner.tableCount <= capacity)
        #expect(planner.tableCount >= capacity * 3 / 4 - 2)
    }

    @Test("eviction keeps the prefixes seen often over those seen once")
    func evictionKeepsHotPrefixes() {
        let planner = CachePlanner(policy: CachePolicy(tableCapacity: 64))
        let hot = features([6_000], kinds: [.system], hashSeed: 999_999)
        for i in 0..<2_000 {
            if i % 50 == 0 { planner.observe(hot, plan: nil, nowMillis: Int64(i) * 100) }
            planner.observe(features([2_000], hashSeed: UInt64(i) + 10), plan: nil, nowMillis: Int64(i) * 100)
        }
        let table = planner.tableSnapshot
        let observation = table.observations(for: hot, nowMillis: 200_000)[0].prefix
        #expect(observation.sightings > 10)
    }

    @Test("counts decay by half every half-life")
    func decay() {
        var table = PrefixStatsTable(capacity: 100, halfLifeMillis: 600_000)
        let request = features([6_000], kinds: [.system], hashSeed: 3)
        for i in 0..<4 { table.observe(request, marked: [:], nowMillis: Int64(i)) }
        let now = table.observations(for: request, nowMillis: 3)[0].prefix.sightings
        let later = table.observations(for: request, nowMillis: 3 + 600_000)[0].prefix.sightings
        let much = table.observations(for: request, nowMillis: 3 + 6_000_000)[0].prefix.sightings
        #expect(abs(now - 4) < 0.001)
        #expect(abs(later - 2) < 0.001)
        #expect(much < 0.004)
    }

    @Test("the table keeps hashes and numbers only, never prompt text")
    func noPromptText() throws {
        let secret = "SECRET-PROMPT-TEXT-4242 the quick brown fox"
        let body = try #require(
            JSONValue.parse(
                #"{"model":"claude-sonnet-4-6","max_tokens":10,"system":"\#(secret) \#(String(repeating: "x", count: 8_000))","#
                    + #""messages":[{"role":"user","content":"\#(secret)"}]}"#
            ).objectValue)
        let request = CacheRequestFeatures(request: body, client: "app", taskType: "coding")
        let planner = CachePlanner()
        planner.observe(request, plan: nil, nowMillis: 0)
        let result = planner.plan(request, profile: sonnet, policy: CachePolicy(), nowMillis: 1_000)
        var dumped = ""
        dump(planner.tableSnapshot, to: &dumped)
        dump(request, to: &dumped)
        dump(result, to: &dumped)
        #expect(!dumped.contains("SECRET"))
        #expect(!dumped.contains("quick brown"))
        #expect(planner.tableCount == 2)
    }
}

@Suite("Cache features and apply")
struct CachePlannerRequestTests {
    func body(_ json: String) throws -> JSONObject {
        try #require(JSONValue.parse(json).objectValue)
    }

    let long = String(repeating: "lorem ipsum ", count: 1_000)

    @Test("the prefix hash ignores cache_control and the string-or-block form, and nothing else")
    func canonicalHash() throws {
        let plain = try body(#"{"model":"m","system":"\#(long)","messages":[{"role":"user","content":"hi"}]}"#)
        let blocks = try body(
            #"{"model":"m","system":[{"type":"text","text":"\#(long)","cache_control":{"type":"ephemeral"}}],"#
                + #""messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#)
        let other = try body(#"{"model":"m","system":"\#(long)!","messages":[{"role":"user","content":"hi"}]}"#)
        let a = CacheRequestFeatures(request: plain)
        let b = CacheRequestFeatures(request: blocks)
        let c = CacheRequestFeatures(request: other)
        #expect(a.boundaries.map(\.prefixHash) == b.boundaries.map(\.prefixHash))
        #expect(a.boundaries.map(\.kind) == [.system, .conversation])
        #expect(a.boundaries[0].prefixHash != c.boundaries[0].prefixHash)
        #expect(a.boundaries[1].prefixHash != c.boundaries[1].prefixHash)
        #expect(b.clientMarkers.count == 1)
        #expect(b.clientMarkers[0].location == .system(index: 0))
    }

    @Test("end to end: a system prompt sent again a minute later gets a 5m marker in the request that goes upstream")
    func endToEnd() throws {
        let planner = CachePlanner()
        let json = #"{"model":"claude-sonnet-4-6","max_tokens":64,"system":"\#(long)","messages":[{"role":"user","content":"q1"}]}"#
        let request = try MessagesRequest(bytes: Array(json.utf8))
        let first = CacheRequestFeatures(request: request, client: "app", taskType: "coding")
        let initial = planner.plan(first, profile: sonnet, policy: CachePolicy(), nowMillis: 0)
        #expect(initial.breakpoints.isEmpty)
        planner.observe(first, plan: initial, nowMillis: 0)
        // Same system prompt, another question.
        let next = try MessagesRequest(bytes: Array(json.replacingOccurrences(of: "q1", with: "q2").utf8))
        let again = CacheRequestFeatures(request: next, client: "app", taskType: "coding")
        let second = planner.plan(again, profile: sonnet, policy: CachePolicy(), nowMillis: 60_000)
        #expect(second.summary == "system:5m")
        let upstream = planner.apply(second, to: next)
        #expect(upstream.cacheBreakpoints.map(\.description) == ["system[0] (5m)"])
        #expect(upstream.raw["messages"] == next.raw["messages"])
        #expect(second.expectedSaving > .zero)
    }

    @Test("a changed tool_choice changes the message prefixes but not the system prefix")
    func toolChoiceInvalidatesMessages() throws {
        let auto = try body(
            #"{"model":"m","system":"\#(long)","tool_choice":{"type":"auto"},"messages":[{"role":"user","content":"hi"}]}"#
        )
        let any = try body(
            #"{"model":"m","system":"\#(long)","tool_choice":{"type":"any"},"messages":[{"role":"user","content":"hi"}]}"#
        )
        let a = CacheRequestFeatures(request: auto)
        let b = CacheRequestFeatures(request: any)
        #expect(a.boundaries[0].prefixHash == b.boundaries[0].prefixHash)
        #expect(a.boundaries[1].prefixHash != b.boundaries[1].prefixHash)
    }

    @Test("boundaries skip blocks that cannot carry cache_control and read the automatic TTL")
    func boundariesAndAutomatic() throws {
        let request = try body(
            #"{"model":"m","cache_control":{"type":"ephemeral","ttl":"1h"},"tools":[{"name":"a","input_schema":{}},{"name":"b","input_schema":{}}],"#
                + #""messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"thinking","thinking":"t","signature":"s"}]},"#
                + #"{"role":"user","content":"next"}]}"#)
        let f = CacheRequestFeatures(request: request)
        #expect(
            f.boundaries.map(\.location) == [
                .tool(index: 1), .message(index: 0, block: 0), .message(index: 1, block: 0),
                .message(index: 2, block: 0),
            ])
        #expect(f.boundaries.map(\.kind) == [.tools, .message, .message, .conversation])
        #expect(f.boundaries.map(\.blockPosition) == [1, 2, 3, 5])
        #expect(f.automaticTTL == .oneHour)
        #expect(f.automaticBreakpoint?.blockPosition == 5)
    }

    @Test("apply marks the planned blocks, turns a string into a block, keeps the client's markers and the prefix")
    func apply() throws {
        let request = try body(
            #"{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{}}],"system":"\#(long)","#
                + #""messages":[{"role":"user","content":[{"type":"text","text":"\#(long)","cache_control":{"type":"ephemeral"}}]},"#
                + #"{"role":"assistant","content":"ok"},{"role":"user","content":"more"}]}"#)
        let before = CacheRequestFeatures(request: request)
        let plan = CachePlan(
            mode: .auto,
            breakpoints: [
                .init(
                    location: .system(index: 0), kind: .system, blockPosition: 1, ttl: .oneHour, prefixTokens: 3_000,
                    expectedHitsMilli: 0, expectsRead: false, reason: ""),
                .init(
                    location: .message(index: 0, block: 0), kind: .message, blockPosition: 2, ttl: .oneHour,
                    prefixTokens: 6_000, expectedHitsMilli: 0, expectsRead: false, reason: ""),
                .init(
                    location: .message(index: 2, block: 0), kind: .conversation, blockPosition: 4, ttl: .fiveMinutes,
                    prefixTokens: 6_010, expectedHitsMilli: 0, expectsRead: false, reason: ""),
            ],
            reasons: [], expectedSaving: .zero)
        let applied = plan.apply(to: request)
        #expect(
            applied["system"] == [
                ["type": "text", "text": .string(long), "cache_control": ["type": "ephemeral", "ttl": "1h"]]
            ])
        // The client's own marker stays as it was.
        #expect(
            applied["messages"]?.arrayValue?[0]["content"]?.arrayValue?[0]["cache_control"] == ["type": "ephemeral"])
        #expect(
            applied["messages"]?.arrayValue?[2]["content"] == [
                ["type": "text", "text": "more", "cache_control": ["type": "ephemeral"]]
            ])
        #expect(applied["messages"]?.arrayValue?[1]["content"] == "ok")
        #expect(applied.keys == request.keys)
        let after = CacheRequestFeatures(request: applied)
        #expect(after.boundaries.map(\.prefixHash) == before.boundaries.map(\.prefixHash))
        #expect(after.clientMarkers.count == 3)
        #expect(plan.summary == "system:1h,messages:1h,messages:5m")
    }
}
