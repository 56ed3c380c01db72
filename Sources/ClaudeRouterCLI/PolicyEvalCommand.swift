import ArgumentParser
import ClaudeAPI
import Foundation
import RouterCore
import RouterEvaluation

/// `claude-router policy eval LABELLED.jsonl`: routes hand-labelled requests and measures the decisions.
struct PolicyEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Route hand-labelled requests and report how often the tier was acceptable, and at what cost.",
        discussion: """
            LABELLED.jsonl holds one labelled request per line (the format of Evaluation/routing/labels/, see
            docs/routing.md): {"id", "split", "everyday", "task_type", "tier", "acceptable", "request", ...}.
            A directory reads every *.jsonl file in it. Prints the acceptable-tier rate, strict accuracy,
            Opus-labelled requests sent to Haiku, the cost against always-Haiku/Sonnet/Opus (the router's token
            estimates at the policy's prices), the confusion matrix and the worst misroutes with the features that
            decided them. With --min-acceptable or --max-opus-to-haiku it exits with status 1 when a floor is missed
            (CI runs it on the held-out split: --split heldout).
            Example: claude-router policy eval Evaluation/routing/labels --split heldout --min-acceptable 0.92
            """)

    @Argument(help: "A labelled JSONL file, or a directory of them.")
    var labelled: String

    @OptionGroup var policyDirectory: PolicyDirectoryOption

    @Option(help: "Only requests of this split (train or heldout).")
    var split: String?

    @Option(name: .customLong("quality-bias"), help: "Override the policy's quality_bias (0…1).")
    var qualityBias: Double?

    @Option(name: .customLong("min-acceptable"), help: "Fail when the acceptable-tier rate is below this (0…1).")
    var minAcceptable: Double?

    @Option(
        name: .customLong("max-opus-to-haiku"),
        help: "Fail when the share of Opus-labelled requests sent to Haiku is above this (0…1).")
    var maxOpusToHaiku: Double?

    @Option(help: "How many of the worst misroutes to show.")
    var misroutes = 10

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        var policy = try policyDirectory.load()
        if let qualityBias {
            guard (0...1).contains(qualityBias) else { throw ValidationError("--quality-bias must be within 0…1") }
            policy.routing.qualityBias = qualityBias
        }
        var labels: [LabelledRequest]
        do {
            labels = try LabelledRequest.load(paths: [labelled])
        } catch {
            throw ValidationError(error.description)
        }
        if let split { labels = labels.filter { $0.split == split } }
        guard !labels.isEmpty else { throw ValidationError("no labelled requests in \(labelled)") }
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let report = RoutingEvaluation.evaluate(labels, policy: policy, day: today)
        if json {
            print(report.json(misroutes: misroutes).jsonString())
        } else {
            print("quality_bias \(policy.routing.qualityBias), policy \(policy.contentHash.prefix(12))")
            print(report.text(misroutes: misroutes), terminator: "")
        }
        var failed: [String] = []
        if let minAcceptable, report.acceptableRate < minAcceptable {
            failed.append("acceptable rate \(report.acceptableRate) is below --min-acceptable \(minAcceptable)")
        }
        if let maxOpusToHaiku, report.opusToHaikuRate > maxOpusToHaiku {
            failed.append("opus-to-haiku rate \(report.opusToHaikuRate) is above --max-opus-to-haiku \(maxOpusToHaiku)")
        }
        if !failed.isEmpty {
            FileHandle.standardError.write(Data(failed.map { "floor missed: \($0)\n" }.joined().utf8))
            throw ExitCode(1)
        }
    }
}
