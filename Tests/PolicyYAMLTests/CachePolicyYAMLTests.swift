import ClaudeAPI
import Foundation
import PolicyYAML
import RouterCore
import Testing

/// `cache.yaml` maps onto the planner's `CachePolicy`, and every mistake in it is located.
@Suite struct CachePolicyYAMLTests {
    static let full = """
        mode: force
        clients:
          dev: off
        task_types:
          quick: auto
          deep: off
        table_capacity: 5000
        half_life_seconds: 600
        min_expected_reuses: 0.5
        speculative_margin: 2.25
        force_ttl: 1h
        allow_one_hour: false
        max_breakpoints: 2

        """

    @Test func everyKeyReachesThePolicy() throws {
        let policy = try PolicyLoader.load(files: Fixture.with(["cache.yaml": Self.full]))
        let cache = policy.cache
        #expect(cache.mode == .force)
        #expect(cache.clientModes == ["dev": .off])
        #expect(cache.taskTypeModes == ["quick": .auto, "deep": .off])
        #expect(cache.tableCapacity == 5_000)
        #expect(cache.halfLifeSeconds == 600)
        #expect(cache.minExpectedReusesMilli == 500)
        #expect(cache.speculativeMarginMilli == 2_250)
        #expect(cache.forceTTL == .oneHour)
        #expect(cache.allowOneHour == false)
        #expect(cache.maxBreakpoints == 2)
    }

    @Test func overridesResolveClientFirstThenTaskTypeThenDefault() throws {
        let cache = try PolicyLoader.load(files: Fixture.with(["cache.yaml": Self.full])).cache
        #expect(cache.mode(client: "dev", taskType: "quick") == .off)
        #expect(cache.mode(client: "other", taskType: "quick") == .auto)
        #expect(cache.mode(client: "other", taskType: "code") == .force)
        #expect(cache.explainMode(client: "dev", taskType: "quick") == "off (cache.yaml clients.dev)")
        #expect(cache.explainMode(client: "x", taskType: "deep") == "off (cache.yaml task_types.deep)")
        #expect(cache.explainMode(client: "x", taskType: "code") == "force (cache.yaml mode)")
    }

    @Test func withoutCacheYAMLThePlannerDefaultsApply() throws {
        let policy = try PolicyLoader.load(files: Fixture.with([:]))
        #expect(policy.cache == CachePolicy())
        #expect(policy.cache.mode == .auto)
    }

    @Test func theShippedFileIsThePlannersDefault() throws {
        let policy = PolicyLoader.embeddedDefaults()
        #expect(policy.cache == CachePolicy())
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var expected: [(String, String)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown client in an override, nearest suggested",
            yaml: "clients:\n  dve: off\n",
            expected: [("cache.yaml:2:3", "unknown client 'dve'; did you mean 'dev'?")]),
        Case(
            name: "unknown task type in an override, nearest suggested",
            yaml: "mode: auto\ntask_types:\n  quik: off\n",
            expected: [("cache.yaml:3:3", "unknown task type 'quik'; did you mean 'quick'?")]),
        Case(
            name: "unknown mode",
            yaml: "mode: sometimes\n",
            expected: [("cache.yaml:1:7", "'mode' must be one of auto, off, force, found 'sometimes'")]),
        Case(
            name: "unknown mode in an override",
            yaml: "task_types:\n  code: forced\n",
            expected: [
                ("cache.yaml:2:9", "'code' must be one of auto, off, force, found 'forced'; did you mean 'force'?")
            ]),
        Case(
            name: "too many breakpoints",
            yaml: "max_breakpoints: 5\n",
            expected: [("cache.yaml:1:18", "'max_breakpoints' must be at most 4")]),
        Case(
            name: "bad TTL",
            yaml: "force_ttl: 10m\n",
            expected: [("cache.yaml:1:12", "'force_ttl' must be one of 5m, 1h, found '10m'")]),
        Case(
            name: "reuses not a number",
            yaml: "min_expected_reuses: lots\n",
            expected: [("cache.yaml:1:22", "'min_expected_reuses' must be a number of cache hits")]),
        Case(
            name: "a speculative margin under break-even",
            yaml: "mode: auto\nspeculative_margin: 0.8\n",
            expected: [("cache.yaml:2:21", "'speculative_margin' must be a multiple of break-even from 1 to 20")]),
        Case(
            name: "a speculative margin that is not a number",
            yaml: "speculative_margin: high\n",
            expected: [("cache.yaml:1:21", "'speculative_margin' must be a multiple of break-even from 1 to 20")]),
        Case(
            name: "too small a table",
            yaml: "table_capacity: 2\n",
            expected: [("cache.yaml:1:17", "'table_capacity' must be at least 8")]),
        Case(
            name: "a key of the old shape says what replaces it",
            yaml: "enabled: true\ndefault_ttl: 5m\n",
            expected: [
                ("cache.yaml:1:1", "'enabled' is no longer a cache.yaml key; use 'mode: auto'"),
                ("cache.yaml:2:1", "'default_ttl' is no longer a cache.yaml key; use 'force_ttl'"),
            ]),
        Case(
            name: "a misspelt key",
            yaml: "allow_one_hours: true\n",
            expected: [
                ("cache.yaml:1:1", "unknown key 'allow_one_hours' in cache.yaml; did you mean 'allow_one_hour'?")
            ]),
    ]

    @Test("each cache.yaml error is reported at its file, line and column", arguments: cases)
    func reportsIssue(_ c: Case) {
        do {
            _ = try PolicyLoader.load(files: Fixture.with(["cache.yaml": c.yaml]))
            Issue.record("the policy loaded, expected \(c.expected.count) issue(s)")
        } catch {
            let got = error.issues.map(\.description)
            #expect(got.count == c.expected.count, "got:\n\(got.joined(separator: "\n"))")
            for (location, message) in c.expected {
                #expect(
                    got.contains { $0.hasPrefix(location + ": error: ") && $0.contains(message) },
                    "missing \(location): \(message)\ngot:\n\(got.joined(separator: "\n"))")
            }
        }
    }
}
