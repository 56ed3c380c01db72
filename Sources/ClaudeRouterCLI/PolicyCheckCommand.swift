import ArgumentParser
import Foundation
import PolicyYAML
import RouterCore

/// `claude-router policy check [DIR]`: validates a policy and reports every problem at once.
struct PolicyCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy directory; print every problem as file:line:col: error: message.",
        discussion: """
            Exit status 0 with a one-line summary when the policy is valid, 1 with every problem otherwise
            (YAML syntax, unknown or duplicate keys, wrong types, unknown models, task types or clients, negative
            prices, tiers without a model, bad regular expressions, overlapping price periods, bad examples).
            """)

    @Argument(help: "The policy directory. Without it, the embedded default policy is checked.")
    var directory: String?

    func run() async throws {
        let policy: Policy
        let label: String
        do {
            if let directory {
                policy = try PolicyLoader.load(directory: directory)
                label = directory
            } else {
                policy = try PolicyLoader.load(files: PolicyLoader.embeddedFiles)
                label = "embedded default policy"
            }
        } catch {
            let prefix = directory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
            for issue in error.issues {
                var located = issue
                // Prefix the directory so editors and terminals can open the file from the current directory.
                if !issue.file.hasPrefix(prefix), issue.file != directory { located.file = prefix + issue.file }
                print(located.description)
            }
            print(
                "\(error.issues.count) error\(error.issues.count == 1 ? "" : "s") in \(directory ?? "embedded default policy")"
            )
            throw ExitCode(1)
        }
        print(PolicyCheckCommand.summary(policy, label: label))
    }

    /// `DIR: OK: 3 models, 8 task types, 8 rules, 2 clients, 0 examples; hash 1a2b3c4d5e6f`.
    static func summary(_ policy: Policy, label: String) -> String {
        let examples = policy.statistical?.exampleCount ?? 0
        return "\(label): OK: \(policy.models.count) models, \(policy.taskTypes.count) task types, "
            + "\(policy.classifier.rules.count) rules, \(policy.clients.count) clients, \(examples) labelled examples; "
            + "hash \(policy.contentHash.prefix(12))"
    }
}
