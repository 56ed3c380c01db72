import Foundation
import RouterCore
import Testing

@testable import PolicyYAML

/// Every kind of policy error, located exactly.
@Suite struct ValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [String: String?]
        /// Each expected issue: `file:line:col` and a part of the message.
        var expected: [(String, String)]
        var testDescription: String { name }
    }

    static func replacing(_ text: String, _ old: String, _ new: String) -> String {
        precondition(text.contains(old), "fixture does not contain \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    static let cases: [Case] = [
        Case(
            name: "YAML syntax error",
            changes: ["routing.yaml": "explicit_model: [allowed\n"],
            expected: [("routing.yaml:2:1", "YAML syntax")]),
        Case(
            name: "unknown key, nearest known key suggested",
            changes: ["task-types.yaml": replacing(Fixture.taskTypes, "    tier: sonnet", "    tire: sonnet")],
            expected: [
                ("task-types.yaml:6:5", "unknown key 'tire' in task type 'code'; did you mean 'tier'?"),
                ("task-types.yaml:6:5", "missing required key 'tier'"),
            ]),
        Case(
            name: "wrong type",
            changes: ["models.yaml": replacing(Fixture.models, "context_window: 200000", "context_window: lots")],
            expected: [("models.yaml:9:21", "'context_window' must be a whole number, found 'lots'")]),
        Case(
            name: "duplicate keys, each reported, the rest of the file still checked",
            changes: [
                "task-types.yaml": replacing(
                    Fixture.taskTypes, "    deferrable: true", "    deferrable: true\n    tier: haiku\n    colour: red")
            ],
            expected: [
                ("task-types.yaml:10:5", "duplicate key 'tier' (first defined at line 8, column 5)"),
                ("task-types.yaml:11:5", "unknown key 'colour'"),
            ]),
        Case(
            name: "reference to a model that does not exist",
            changes: ["models.yaml": replacing(Fixture.models, "  sonnet: s\n", "  sonnet: ss\n")],
            expected: [("models.yaml:3:11", "unknown model 'ss'; did you mean 's'?")]),
        Case(
            name: "reference to a task type that does not exist",
            changes: ["classifier.yaml": replacing(Fixture.classifier, "task_type: quick", "task_type: quik")],
            expected: [("classifier.yaml:4:16", "unknown task type 'quik'; did you mean 'quick'?")]),
        Case(
            name: "negative price",
            changes: ["models.yaml": replacing(Fixture.models, "input: 1\n", "input: -1\n")],
            expected: [("models.yaml:15:16", "negative price -1 for 'input'")]),
        Case(
            name: "tier without a model",
            changes: [
                "models.yaml": replacing(
                    replacing(Fixture.models, "  opus: o\n", ""),
                    "  - {id: o, tier: opus, context_window: 1000000, max_output_tokens: 128000, min_cacheable_tokens: 4096, rate_limit_bucket: b, prices: [{from: 2026-01-01, input: 5, output: 25}]}\n",
                    "")
            ],
            expected: [("models.yaml:2:3", "tier opus has no model")]),
        Case(
            name: "regex that does not compile",
            changes: [
                "classifier.yaml": replacing(
                    Fixture.classifier, "user_words: [classify]", "user_patterns: ['(unclosed']")
            ],
            expected: [("classifier.yaml:6:23", "invalid regular expression /(unclosed/")]),
        Case(
            name: "overlapping price periods",
            changes: [
                "models.yaml": replacing(
                    Fixture.models, "        output: 5\n",
                    "        output: 5\n      - from: 2026-01-01\n        input: 2\n        output: 6\n")
            ],
            expected: [
                (
                    "models.yaml:17:15",
                    "price periods overlap: another price of this model also starts on 2026-01-01 (line 14)"
                )
            ]),
        Case(
            name: "a model with an error is reported once, not again where it is referenced",
            changes: ["models.yaml": replacing(Fixture.models, "input: 3, output: 15", "input: -3, output: 15")],
            expected: [("models.yaml:17:164", "negative price -3 for 'input'")]),
        Case(
            name: "unknown and missing files",
            changes: ["routing.yaml": nil, "cache.yml": "enabled: true\n", "limit.yaml": "x: 1\n"],
            expected: [
                ("cache.yml:1:1", "rename it to 'cache.yaml'"),
                ("limit.yaml:1:1", "unknown policy file 'limit.yaml'; did you mean 'limits.yaml'?"),
                ("routing.yaml:0:0", "missing required policy file 'routing.yaml'"),
            ]),
        Case(
            name: "every problem of every file in one pass",
            changes: [
                "routing.yaml": "explicit_model: sometimes\nbaseline_tier: opus\n",
                "clients.yaml": replacing(
                    Fixture.clients, "57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823",
                    "dev-key-change-me"),
                "limits.yaml": "buckets:\n  b: {rpm: 0, itpm: 1000, otpm: 100}\n",
            ],
            expected: [
                ("clients.yaml:3:17", "'key_sha256' must be 64 hex digits"),
                ("limits.yaml:2:12", "'rpm' must be at least 1, found 0"),
                ("routing.yaml:1:17", "'explicit_model' must be one of always, allowed, never, found 'sometimes'"),
            ]),
        Case(
            name: "labelled example with an unknown task type",
            changes: [
                "examples/a.jsonl":
                    "{\"text\": \"hi\", \"label\": \"quick\"}\n# comment\n{\"text\": \"x\", \"label\": \"slow\"}\nnot json\n"
            ],
            expected: [
                ("examples/a.jsonl:3:1", "unknown task type 'slow'"),
                ("examples/a.jsonl:4:1", "each line must be a JSON object"),
            ]),
    ]

    @Test("each validation error is reported at its file, line and column", arguments: cases)
    func reportsIssue(_ c: Case) {
        do {
            _ = try PolicyLoader.load(files: Fixture.with(c.changes))
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

    @Test func fixtureIsValid() throws {
        let policy = try PolicyLoader.load(files: Fixture.with([:]))
        #expect(policy.models.map(\.id) == ["h", "s", "o"])
        #expect(policy.model(named: "h-2025")?.id == "h")
        #expect(policy.defaultModel(of: .opus)?.id == "o")
    }

    @Test func contentHashChangesWithAnyByteAndIgnoresFileOrder() throws {
        let files = Fixture.with([:])
        let a = PolicyLoader.contentHash(of: files)
        #expect(a == PolicyLoader.contentHash(of: files.reversed()))
        #expect(a != PolicyLoader.contentHash(of: Fixture.with(["routing.yaml": "explicit_model: never\n"])))
        #expect(a.count == 64)
        #expect(try PolicyLoader.load(files: files).contentHash == a)
    }

    @Test func issuesPrintLikeCompilerDiagnostics() {
        let issue = PolicyIssue(file: "models.yaml", line: 3, column: 11, message: "unknown model 'x'")
        #expect(issue.description == "models.yaml:3:11: error: unknown model 'x'")
    }
}
