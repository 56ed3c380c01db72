import ArgumentParser

/// `claude-router policy`: check and explain routing policies.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and explain routing policies.",
        discussion: """
            A policy is a directory of YAML files (models.yaml, task-types.yaml, classifier.yaml, routing.yaml,
            clients.yaml, and optionally cache.yaml, batches.yaml, limits.yaml) plus labelled examples in
            examples/*.jsonl. Without a directory the embedded default policy (the shipped policies/) is used.
            """,
        subcommands: [PolicyCheckCommand.self, PolicyExplainCommand.self, PolicyEvalCommand.self])
}
