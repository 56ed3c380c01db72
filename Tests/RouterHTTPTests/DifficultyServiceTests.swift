import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Testing

@testable import RouterHTTP

/// Difficulty through the service: the header, `/v1/route`, the ledger, and conversations that keep their tier.
@Suite struct DifficultyServiceTests {
    static let proof =
        "Prove rigorously that for every positive integer n the number of partitions of n into distinct parts "
        + "equals the number into odd parts; give a complete bijective proof and generalise it to at most k copies."

    static func conversation(_ turns: [String], maxTokens: Int = 64) -> String {
        let messages = turns.enumerated().map { i, text in
            JSONValue.object(["role": .string(i % 2 == 0 ? "user" : "assistant"), "content": .string(text)])
        }
        return JSONValue.object(
            ["model": "auto", "max_tokens": .number(JSONNumber(maxTokens)), "messages": .array(messages)]
        ).jsonString()
    }

    @Test func aOneLineQuestionIsSimpleOnHaikuAndTheLedgerSaysSo() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post("/v1/messages", json: messagesBody("What is 2+2?"))
            #expect(response.status == .ok)
            #expect(response.header("x-router-model") == "claude-haiku-4-5")
            let header = try #require(response.header("x-router-difficulty"))
            #expect(header.hasPrefix("simple; p="), "\(header)")
            #expect(header.contains("features="))
            #expect(harness.recorder.requests.first?.difficulty == "simple")
        }
    }

    @Test func routeExplainsTheDifficulty() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let response = try await client.post("/v1/route", json: messagesBody(Self.proof, maxTokens: 8000))
            let decision = try #require(response.json["decision"])
            #expect(decision["difficulty"]?.stringValue == "hard")
            #expect(decision["tier"]?.stringValue == "opus")
            #expect((decision["difficulty_features"]?.arrayValue ?? []).count > 0)
            #expect(decision["difficulty_probabilities"]?["hard"] != nil)
            #expect(response.header("x-router-difficulty")?.hasPrefix("hard;") == true)
        }
    }

    @Test func aLaterTurnKeepsTheConversationsTierAndANewConversationDoesNot() async throws {
        let harness = try ServiceHarness()
        try await harness.run { client, _ in
            let first = try await client.post("/v1/messages", json: Self.conversation([Self.proof], maxTokens: 8000))
            let firstModel = try #require(first.header("x-router-model"))
            #expect(firstModel != "claude-haiku-4-5")
            let later = try await client.post(
                "/v1/messages", json: Self.conversation([Self.proof, "Here is the bijection…", "Thanks! What is 2+2?"]))
            #expect(later.header("x-router-model") == firstModel)
            let fresh = try await client.post(
                "/v1/messages", json: Self.conversation(["Hello", "Hi! How can I help?", "Thanks! What is 2+2?"]))
            #expect(fresh.header("x-router-model") == "claude-haiku-4-5")
        }
    }
}
