import Foundation
import Logging
import PolicyYAML
import RouterCore
import Testing

@testable import RouterHTTP

@Suite struct PolicyStoreTests {
    func copyOfShippedPolicies() throws -> String {
        let dir = NSTemporaryDirectory() + "policies-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in PolicyLoader.embeddedFiles {
            let path = dir + "/" + file.name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func aValidEditIsSwappedInAndAnInvalidOneIsRefusedWhileTheOldPolicyServes() throws {
        let dir = try copyOfShippedPolicies()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try PolicyStore(directory: dir, logger: Logger(label: "test"))
        let original = store.current.contentHash
        #expect(store.reload() == .unchanged)

        let routing = dir + "/routing.yaml"
        let text = try String(contentsOfFile: routing, encoding: .utf8)
        try (text + "\n# an operator's comment\n").write(toFile: routing, atomically: true, encoding: .utf8)
        guard case .reloaded(let hash) = store.reload() else {
            Issue.record("a valid edit should reload")
            return
        }
        #expect(hash != original)
        #expect(store.current.contentHash == hash)

        try (text + "\nno_such_section: true\n").write(toFile: routing, atomically: true, encoding: .utf8)
        guard case .refused(let message) = store.reload() else {
            Issue.record("an invalid edit must be refused")
            return
        }
        #expect(message.contains("routing.yaml"))
        #expect(store.current.contentHash == hash, "the previous policy keeps serving")
        #expect(store.lastError != nil)
    }
}
