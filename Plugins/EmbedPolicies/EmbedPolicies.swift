import Foundation
import PackagePlugin

/// Embeds the shipped policy (`policies/*.yaml` and `policies/*/*.jsonl` of the package) in the target at build
/// time, as `EmbeddedPolicies.files`, so `claude-router serve` runs with no policy directory and the embedded
/// copy can never drift from the files.
@main
struct EmbedPolicies: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "policies")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPolicies.swift")
        let names = try policyFileNames(in: directory)
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) policy files",
                executable: try context.tool(named: "PolicyEmbedder").url,
                arguments: [output.path(percentEncoded: false), directory.path(percentEncoded: false)] + names,
                inputFiles: names.map { directory.appending(path: $0) },
                outputFiles: [output])
        ]
    }

    /// The policy's files relative to `directory`, sorted: `*.yaml`/`*.yml` at the top, `*.jsonl` one folder down
    /// (the training examples); hidden entries left out.
    func policyFileNames(in directory: URL) throws -> [String] {
        let files = FileManager.default
        var names: [String] = []
        for entry in try files.contentsOfDirectory(atPath: directory.path(percentEncoded: false))
        where !entry.hasPrefix(".") {
            let path = directory.appending(path: entry).path(percentEncoded: false)
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                names += try files.contentsOfDirectory(atPath: path)
                    .filter { $0.hasSuffix(".jsonl") }.map { "\(entry)/\($0)" }
            } else if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                names.append(entry)
            }
        }
        return names.sorted()
    }
}
