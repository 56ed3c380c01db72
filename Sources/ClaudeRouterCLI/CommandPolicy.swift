import ArgumentParser
import Foundation
import PolicyYAML
import RouterCore

/// The policy a command works with: the directory given, else the embedded defaults (what `serve` runs on).
enum CommandPolicy {
    /// Loads it, or prints every error (`file:line:col: error: …`) to standard error and exits 1.
    static func load(_ directory: String?) throws -> Policy {
        do {
            return try directory.map { try PolicyLoader.load(directory: $0) } ?? PolicyLoader.embeddedDefaults()
        } catch let error as PolicyLoadError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// `--policies DIR`, as `policy eval` and `policy explain` take it.
struct PolicyDirectoryOption: ParsableArguments {
    @Option(help: "The policy directory. Without it, the embedded default policy is used.")
    var policies: String?

    /// The policy in that directory, else the embedded defaults (`CommandPolicy.load`).
    func load() throws -> Policy { try CommandPolicy.load(policies) }
}
