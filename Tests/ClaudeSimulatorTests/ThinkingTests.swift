import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClaudeSimulator

/// Extended thinking (`thinking: {type: enabled, budget_tokens}`): a signed thinking block first, its tokens billed
/// as output, streamed as thinking/signature deltas, and the API's validation of the budget.
@Suite struct ThinkingTests {
    func body(
        model: String = "claude-sonnet-4-5", maxTokens: Int = 4_000, budget: Int = 2_000, display: String? = nil,
        stream: Bool = false
    ) -> JSONValue {
        var thinking: JSONObject = ["type": "enabled", "budget_tokens": .number(JSONNumber(budget))]
        if let display { thinking["display"] = .string(display) }
        var extra: JSONObject = ["thinking": .object(thinking)]
        if stream { extra["stream"] = true }
        return Body.message(model: model, maxTokens: maxTokens, extra: extra)
    }

    @Test func thinkingBlockComesFirstWithASignatureAndCountsAsOutput() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages", body(), headers: ["x-sim-thinking-tokens": "300", "x-sim-output-tokens": "50"])
            #expect(reply.status == 200)
            let content = reply.json["content"]?.arrayValue ?? []
            #expect(content.map { $0["type"]?.stringValue ?? "" } == ["thinking", "text"])
            let thinking = content.first?["thinking"]?.stringValue ?? ""
            #expect(Tokenizer.count(thinking) == 300)
            let signature = content.first?["signature"]?.stringValue ?? ""
            #expect(!signature.isEmpty && Data(base64Encoded: signature) != nil)
            // output_tokens includes the thinking; the details say how much of it was thinking.
            #expect(reply.json.int("usage", "output_tokens") == 350)
            #expect(reply.json.int("usage", "output_tokens_details", "thinking_tokens") == 300)
            #expect(reply.json["stop_reason"] == "end_turn")
        }
    }

    @Test func thinkingIsCappedByTheBudgetAndTheAnswerByWhatMaxTokensLeaves() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages", body(maxTokens: 1_100, budget: 1_024),
                headers: ["x-sim-thinking-tokens": "5000", "x-sim-output-tokens": "500"])
            #expect(reply.json.int("usage", "output_tokens_details", "thinking_tokens") == 1_024)
            // 1,100 − 1,024 = 76 tokens left for the text: the answer stops at max_tokens.
            #expect(reply.json.int("usage", "output_tokens") == 1_100)
            #expect(reply.json["stop_reason"] == "max_tokens")
        }
    }

    @Test func sameRequestGivesTheSameThinkingAndSignature() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let first = try await client.call(.post, "/v1/messages", body())
            let second = try await client.call(.post, "/v1/messages", body())
            #expect(first.json["content"]?.arrayValue?.first == second.json["content"]?.arrayValue?.first)
        }
    }

    @Test func omittedDisplayBillsTheThinkingButSendsNoText() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(
                .post, "/v1/messages", body(display: "omitted"), headers: ["x-sim-thinking-tokens": "200"])
            let block = reply.json["content"]?.arrayValue?.first
            #expect(block?["type"] == "thinking")
            #expect(block?["thinking"] == "")
            #expect(block?["signature"]?.stringValue?.isEmpty == false)
            #expect(reply.json.int("usage", "output_tokens_details", "thinking_tokens") == 200)
        }
    }

    @Test func streamSendsThinkingDeltasThenOneSignatureDeltaBeforeTheBlockStops() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let plain = try await client.call(
                .post, "/v1/messages", body(), headers: ["x-sim-thinking-tokens": "40", "x-sim-output-tokens": "10"])
            let reply = try await client.call(
                .post, "/v1/messages", body(stream: true),
                headers: ["x-sim-thinking-tokens": "40", "x-sim-output-tokens": "10"])
            let events = reply.events
            let forBlock0 = events.filter { $0.1["index"]?.intValue == 0 }
            #expect(forBlock0.first?.1["content_block"] == ["type": "thinking", "thinking": "", "signature": ""])
            let deltas = forBlock0.compactMap { $0.0 == "content_block_delta" ? $0.1["delta"] : nil }
            #expect(deltas.count >= 2)
            #expect(deltas.dropLast().allSatisfy { $0["type"] == "thinking_delta" })
            #expect(deltas.last?["type"] == "signature_delta")
            #expect(forBlock0.last?.0 == "content_block_stop")
            let streamed = deltas.dropLast().compactMap { $0["thinking"]?.stringValue }.joined()
            let plainThinking = plain.json["content"]?.arrayValue?.first
            #expect(streamed == plainThinking?["thinking"]?.stringValue)
            #expect(deltas.last?["signature"] == plainThinking?["signature"])
            // Block 1 is the text answer; the final usage counts thinking and text.
            #expect(events.contains { $0.0 == "content_block_start" && $0.1["content_block"]?["type"] == "text" })
            let final = events.last { $0.0 == "message_delta" }?.1
            #expect(final?.int("usage", "output_tokens") == 50)
        }
    }

    @Test(arguments: [
        (1_000, 4_000, "greater than or equal to 1024"),
        (4_000, 4_000, "`max_tokens` must be greater than `thinking.budget_tokens`"),
        (5_000, 4_000, "`max_tokens` must be greater than `thinking.budget_tokens`"),
    ])
    func budgetMustBeAtLeast1024AndBelowMaxTokens(budget: Int, maxTokens: Int, message: String) async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body(maxTokens: maxTokens, budget: budget))
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["type"] == "invalid_request_error")
            #expect(reply.json["error"]?["message"]?.stringValue?.contains(message) == true)
        }
    }

    @Test func adaptiveOnlyModelsRefuseManualThinking() async throws {
        let h = SimulatorHarness()
        try await h.run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", body(model: "claude-opus-5"))
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["message"]?.stringValue?.contains("adaptive") == true)
            let model = try await client.call(.get, "/v1/models/claude-opus-5")
            #expect(model.json["capabilities"]?["thinking"]?["types"]?["enabled"]?["supported"] == false)
        }
    }
}
