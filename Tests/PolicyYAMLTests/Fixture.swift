import Foundation

@testable import PolicyYAML

/// A small valid policy whose line and column numbers the validation tests rely on. Edit with care.
enum Fixture {
    static let models = """
        defaults:
          haiku: h
          sonnet: s
          opus: o
        models:
          - id: h
            aliases: [h-2025]
            tier: haiku
            context_window: 200000
            max_output_tokens: 64000
            min_cacheable_tokens: 4096
            rate_limit_bucket: b
            prices:
              - from: 2026-01-01
                input: 1
                output: 5
          - {id: s, tier: sonnet, context_window: 1000000, max_output_tokens: 128000, min_cacheable_tokens: 1024, rate_limit_bucket: b, prices: [{from: 2026-01-01, input: 3, output: 15}]}
          - {id: o, tier: opus, context_window: 1000000, max_output_tokens: 128000, min_cacheable_tokens: 4096, rate_limit_bucket: b, prices: [{from: 2026-01-01, input: 5, output: 25}]}

        """
    static let taskTypes = """
        task_types:
          quick:
            tier: haiku
            description: short answers
          code:
            tier: sonnet
          deep:
            tier: opus
            deferrable: true

        """
    static let classifier = """
        default_task_type: code
        rules:
          - name: q
            task_type: quick
            when:
              user_words: [classify]

        """
    static let routing = "explicit_model: allowed\n"
    static let clients = """
        clients:
          - name: dev
            key_sha256: 57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823

        """
    static let limits = """
        buckets:
          b: {rpm: 10, itpm: 1000, otpm: 100}

        """

    static var files: [String: String] {
        [
            "models.yaml": models, "task-types.yaml": taskTypes, "classifier.yaml": classifier,
            "routing.yaml": routing, "clients.yaml": clients, "limits.yaml": limits,
        ]
    }

    /// The fixture with some files replaced (a nil text removes the file).
    static func with(_ changes: [String: String?]) -> [PolicyFile] {
        var all = files
        for (name, text) in changes { all[name] = text }
        return all.map { PolicyFile(name: $0.key, text: $0.value) }.sorted { $0.name < $1.name }
    }

    /// The repository's root, from this file's path.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}
