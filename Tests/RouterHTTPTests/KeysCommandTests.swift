import Foundation
import PolicyYAML
import RouterCore
import Testing
import TestSupport

/// `claude-router keys new` and `keys check`, run as the built binary on a policy directory.
@Suite struct KeysCommandTests {
    /// The `claude-router` binary next to the test bundle (`.build/<config>/`).
    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("claude-router").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/claude-router").path
    }

    /// A copy of the embedded default policy in a fresh directory.
    static func policyDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in PolicyLoader.embeddedFiles {
            let url = directory.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.text.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func run(_ arguments: [String]) async -> (status: Int32, text: String) {
        let (status, data) = await runOffThePool([binary] + arguments)
        return (status, String(decoding: data, as: UTF8.self))
    }

    @Test func aNewKeyPastedIntoClientsYAMLAuthenticatesItsClient() async throws {
        let directory = try Self.policyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = await Self.run(["keys", "new", "ops-team", "--policies", directory.path])
        #expect(made.status == 0, "\(made.text)")
        let lines = made.text.split(separator: "\n").map(String.init)
        let key = try #require(lines.map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("crk_") })
        #expect(key.count == 4 + 43)
        // The exact lines to paste: from `- name:` to `key_sha256:`.
        let start = try #require(lines.firstIndex { $0.hasPrefix("  - name: ops-team") })
        let pasted = lines[start...(start + 1)].joined(separator: "\n")
        #expect(pasted.contains("key_sha256: \(SHA256.hex(Array(key.utf8)))"))
        let clients = directory.appendingPathComponent("clients.yaml")
        let original = try String(contentsOf: clients, encoding: .utf8)
        try (original + "\n" + pasted + "\n").write(to: clients, atomically: true, encoding: .utf8)

        let policy = try PolicyLoader.load(directory: directory.path)
        #expect(policy.client(keySHA256: SHA256.hex(Array(key.utf8)))?.name == "ops-team")
        let found = await Self.run(["keys", "check", key, "--policies", directory.path])
        #expect(found.status == 0)
        #expect(found.text.contains("client 'ops-team'"))
        #expect(!found.text.contains(key))
        let dev = await Self.run(["keys", "check", "dev-key-change-me", "--policies", directory.path])
        #expect(dev.status == 0 && dev.text.contains("client 'dev'"))
    }

    @Test func anUnknownKeyBelongsToNoClient() async throws {
        let unknown = await Self.run(["keys", "check", "crk_not-a-real-key"])
        #expect(unknown.status == 1)
        #expect(unknown.text.contains("no client"))
    }

    @Test func keysAreFreshAndAnExistingClientIsToldWhichLineToReplace() async throws {
        let first = await Self.run(["keys", "new", "dev"])
        let second = await Self.run(["keys", "new", "dev"])
        #expect(first.status == 0 && second.status == 0)
        let key = { (text: String) in
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("crk_") }
        }
        #expect(key(first.text) != nil && key(first.text) != key(second.text))
        #expect(first.text.contains("already exists") && first.text.contains("replace its key_sha256 line"))
        let invalid = await Self.run(["keys", "new", "bad name!"])
        #expect(invalid.status != 0)
    }
}
