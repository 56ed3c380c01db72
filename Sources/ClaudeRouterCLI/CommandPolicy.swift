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
