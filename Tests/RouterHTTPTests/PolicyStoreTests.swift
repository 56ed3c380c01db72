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
        let store = try PolicyStore(directory: dir, clock: SystemClock(), logger: Logger(label: "test"))
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

    /// A clock running ahead of the wall clock, so that files just written count as settled.
    struct AheadClock: RouterClock {
        let seconds: Int64
        func nowMillis() -> Int64 { SystemClock().nowMillis() + seconds * 1000 }
    }

    /// An idle poll does not read the files again while `stat` shows them unchanged, yet every edit is still seen,
    /// a refused edit is still refused, and a full read comes at least every `fullReadEvery` polls.
    @Test func unchangedFilesAreAnsweredFromTheirFingerprint() throws {
        let dir = try copyOfShippedPolicies()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try PolicyStore(directory: dir, clock: AheadClock(seconds: 60), logger: Logger(label: "test"))
        #expect(store.reload() == .unchanged)
        let reads = store.fullReadCount
        for _ in 0..<5 { #expect(store.reload() == .unchanged) }
        #expect(store.fullReadCount == reads, "unchanged files are not read again")

        let routing = dir + "/routing.yaml"
        let text = try String(contentsOfFile: routing, encoding: .utf8)
        try (text + "\n# an operator's comment\n").write(toFile: routing, atomically: true, encoding: .utf8)
        guard case .reloaded = store.reload() else {
            Issue.record("an edit changes the fingerprint and is read")
            return
        }
        try (text + "\nno_such_section: true\n").write(toFile: routing, atomically: true, encoding: .utf8)
        guard case .refused(let first) = store.reload() else {
            Issue.record("an invalid edit must be refused")
            return
        }
        let afterRefusal = store.fullReadCount
        #expect(store.reload() == .refused(first), "the refusal stands while the files are unchanged")
        #expect(store.fullReadCount == afterRefusal)

        for _ in 0..<PolicyStore.fullReadEvery { _ = store.reload() }
        #expect(store.fullReadCount == afterRefusal + 1, "a full read at least every fullReadEvery polls")
    }

    /// Files changed in the last seconds are read on every poll: an edit within the file system's timestamp
    /// granularity could leave their fingerprint unchanged.
    @Test func recentlyChangedFilesAreAlwaysRead() throws {
        let dir = try copyOfShippedPolicies()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try PolicyStore(directory: dir, clock: AheadClock(seconds: 0), logger: Logger(label: "test"))
        let reads = store.fullReadCount
        for _ in 0..<3 { #expect(store.reload() == .unchanged) }
        #expect(store.fullReadCount == reads + 3)
    }
}
