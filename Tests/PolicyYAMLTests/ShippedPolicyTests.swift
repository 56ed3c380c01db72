import Foundation
import PolicyYAML
import RouterCore
import Testing

/// The policy shipped in `policies/` loads, says what the docs say, and is embedded unchanged.
@Suite struct ShippedPolicyTests {
    static let directory = Fixture.repoRoot + "/policies"

    @Test func shippedPolicyLoads() throws {
        let policy = try PolicyLoader.load(directory: Self.directory)
        #expect(policy.defaultModel(of: .haiku)?.id == "claude-haiku-4-5")
        #expect(policy.defaultModel(of: .sonnet)?.id == "claude-sonnet-4-6")
        #expect(policy.defaultModel(of: .opus)?.id == "claude-opus-4-6")
        #expect(policy.taskTypes.count == 14)
        for name in [
            "classification", "extraction", "routing", "coding", "analysis", "writing", "complex_reasoning",
            "question_answering", "summarization", "translation", "rewriting", "brainstorming", "math",
        ] {
            #expect(policy.taskTypes[name]?.tiers == [.simple: .haiku, .standard: .sonnet, .hard: .opus], "\(name)")
        }
        #expect(policy.taskTypes["architecture"]?.tiers == [.simple: .sonnet, .standard: .opus, .hard: .opus])
        #expect(policy.routerModel != nil, "the shipped router model decodes in this build")
        #expect(policy.routing.qualityBias == 0.5)
    }

    @Test func datedSpellingsResolveToCurrentIDs() throws {
        let policy = try PolicyLoader.load(directory: Self.directory)
        #expect(policy.model(named: "claude-sonnet-4-6-20260319")?.id == "claude-sonnet-4-6")
        #expect(policy.model(named: "claude-haiku-4-5-20251001")?.id == "claude-haiku-4-5")
    }

    @Test func shippedPricesMatchTheAPI() throws {
        let policy = try PolicyLoader.load(directory: Self.directory)
        let day = Day(iso: "2026-11-28")!
        let expected: [(String, Int64, Int64)] = [
            ("claude-haiku-4-5", 1_000_000, 5_000_000), ("claude-sonnet-4-6", 3_000_000, 15_000_000),
            ("claude-opus-4-6", 5_000_000, 25_000_000),
        ]
        for (id, input, output) in expected {
            let price = try #require(policy.model(named: id)).price(on: day)
            #expect(price.input.microUSD == input)
            #expect(price.output.microUSD == output)
            #expect(price.cacheWrite5m.microUSD == input * 5 / 4)
            #expect(price.cacheWrite1h.microUSD == input * 2)
            #expect(price.cacheRead.microUSD == input / 10)
            #expect(price.batchPercent == 50)
        }
    }

    @Test func devClientIsFoundByItsDocumentedKey() throws {
        let policy = try PolicyLoader.load(directory: Self.directory)
        #expect(policy.client(apiKey: "dev-key-change-me")?.name == "dev")
        #expect(policy.client(apiKey: "wrong") == nil)
    }

    @Test func embeddedDefaultsEqualTheFilesOnDisk() throws {
        let onDisk = try PolicyLoader.readFiles(directory: Self.directory)
        let embedded = PolicyLoader.embeddedFiles
        // The EmbedPolicies build plugin embeds policies/ on every build: this guards the plugin, not a step to forget.
        #expect(embedded.map(\.name) == onDisk.map(\.name))
        for (a, b) in zip(embedded, onDisk) { #expect(a.text == b.text, "\(a.name) differs") }
        #expect(PolicyLoader.embeddedDefaults().contentHash == PolicyLoader.contentHash(of: onDisk))
    }
}
