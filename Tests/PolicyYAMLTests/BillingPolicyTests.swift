import Foundation
import PolicyYAML
import RouterCore
import Testing

/// The policy keys of billing: web-search fee and geo multipliers (dated with a price), the savings baseline,
/// models outside the policy, and what a budget reservation counts as output.
@Suite struct BillingPolicyTests {
    static let datedCharges = Fixture.models.replacingOccurrences(
        of: "        input: 1\n        output: 5\n",
        with: "        input: 1\n        output: 5\n        web_search_per_1k: 12.5\n"
            + "        inference_geo_percent: {us: 110, eu: 105}\n")

    @Test func aPriceCarriesItsWebSearchFeeAndGeoMultipliers() throws {
        let policy = try PolicyLoader.load(files: Fixture.with(["models.yaml": Self.datedCharges]))
        let price = try #require(policy.model(named: "h")).price(on: Day(iso: "2026-06-01")!)
        #expect(price.webSearchPerThousand == Money(dollars: "12.5"))
        #expect(price.geoPercent(for: "us") == 110 && price.geoPercent(for: "eu") == 105)
        #expect(price.geoPercent(for: "global") == 100)
        let other = try #require(policy.model(named: "s")).price(on: Day(iso: "2026-06-01")!)
        #expect(other.webSearchPerThousand == Money(dollars: "10"), "the API's $10 per 1,000 by default")
    }

    @Test func routingReadsTheBaselineModelAndTheUnknownModelsRule() throws {
        let policy = try PolicyLoader.load(
            files: Fixture.with(["routing.yaml": "explicit_model: allowed\nbaseline_model: h-2025\nunknown_models: nearest_tier\n"]))
        #expect(policy.routing.baselineModel == "h-2025")
        #expect(policy.routing.unknownModels == .nearestTier)
        let defaults = try PolicyLoader.load(files: Fixture.with([:]))
        #expect(defaults.routing.baselineTier == .sonnet && defaults.routing.unknownModels == .refuse)
    }

    @Test(arguments: [
        ("routing.yaml", "explicit_model: allowed\nbaseline_model: x\n", "unknown model 'x'"),
        ("routing.yaml", "explicit_model: allowed\nunknown_models: guess\n", "'unknown_models' must be one of refuse, nearest_tier"),
        ("routing.yaml", "baseline_tier: opus\nbaseline_model: o\n", "not both"),
        ("models.yaml", datedCharges.replacingOccurrences(of: "us: 110", with: "us: 0"), "'us' must be at least 1"),
        ("models.yaml", datedCharges.replacingOccurrences(of: "12.5", with: "-1"), "'web_search_per_1k'"),
    ])
    func badBillingKeysAreLocatedErrors(file: String, text: String, mentions: String) {
        do {
            _ = try PolicyLoader.load(files: Fixture.with([file: text]))
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(mentions), "\(error)")
            #expect("\(error)".contains(file + ":"), "\(error)")
        }
    }

    @Test func aBudgetSaysWhatItsReservationsCountAsOutput() throws {
        let clients = Fixture.files["clients.yaml"]!
        let withBudget = clients.replacingOccurrences(
            of: "key_sha256:", with: "budget: {daily_usd: 1, reserve_output: expected}\n    key_sha256:")
        let policy = try PolicyLoader.load(files: Fixture.with(["clients.yaml": withBudget]))
        #expect(policy.clients.first?.budget?.reserveOutput == .expected)
        #expect(BudgetConfig().reserveOutput == .maxTokens)
    }
}
