import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UsageLedger

@testable import RouterHTTP

/// Results of tasks answered at once are bounded in memory by bytes, per client, and spill to the database.
@Suite("Task results: bounded memory")
struct TaskResultsTests {
    static func withStore(_ body: (TaskStore) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await body(TaskStore(queue: try TaskQueue(path: path)))
    }

    /// A result body of `size` bytes that says which one it is.
    static func body(_ n: Int, size: Int) -> [UInt8] {
        let head = Array(#"{"id":"task_\#(n)","text":""#.utf8)
        return head + Array(repeating: UInt8(ascii: "x"), count: max(0, size - head.count - 2)) + Array(#""}"#.utf8)
    }

    @Test("5,000 results of 129 KB: held bytes never exceed the cap, and every spilled one is still readable by its owner only")
    func heldBytesBounded() async throws {
        try await Self.withStore { store in
            let limits = TaskResults.Limits(maxBytes: 32 << 20, maxBytesPerClient: 8 << 20)
            let results = TaskResults(limits: limits)
            let size = 129 * 1024
            var most = 0
            for n in 0..<5000 {
                let client = "client\(n % 5)"
                await results.store(id: "task_\(n)", client: client, body: Self.body(n, size: size), createdMillis: 1_000, spill: store)
                most = max(most, results.heldBytes)
            }
            #expect(most <= limits.maxBytes)
            #expect(results.heldBytes <= limits.maxBytes)
            for n in [0, 1, 2_500, 4_999] {
                let owner = "client\(n % 5)"
                let read = try #require(await results.get(id: "task_\(n)", client: owner, spill: store))
                #expect(read == Self.body(n, size: size))
                #expect(await results.get(id: "task_\(n)", client: "client\((n + 1) % 5)", spill: store) == nil)
            }
        }
    }

    @Test("one client over its share spills its own results, not another client's")
    func perClientShare() async throws {
        try await Self.withStore { store in
            let results = TaskResults(limits: .init(maxBytes: 4 << 20, maxBytesPerClient: 1 << 20))
            await results.store(id: "quiet", client: "quiet", body: Self.body(0, size: 1000), createdMillis: 1, spill: store)
            for n in 1...100 {
                await results.store(id: "loud\(n)", client: "loud", body: Self.body(n, size: 64 * 1024), createdMillis: 1, spill: store)
            }
            #expect(results.state.withLock { $0.resident["quiet"] != nil })
            #expect(results.state.withLock { $0.bytesByClient["loud"] ?? 0 } <= 1 << 20)
            #expect(await results.get(id: "loud1", client: "loud", spill: store) == Self.body(1, size: 64 * 1024))
        }
    }

    @Test("without a database the bound still holds: the oldest results are dropped")
    func withoutDatabase() async {
        let results = TaskResults(limits: .init(maxBytes: 1 << 20, maxBytesPerClient: 1 << 20))
        for n in 0..<100 {
            await results.store(id: "t\(n)", client: "c", body: Self.body(n, size: 100_000), createdMillis: 1, spill: nil)
            #expect(results.heldBytes <= 1 << 20)
        }
        #expect(await results.get(id: "t0", client: "c", spill: nil) == nil)
        #expect(await results.get(id: "t99", client: "c", spill: nil) == Self.body(99, size: 100_000))
    }

    @Test("GET /v1/tasks/{id} reads a spilled result for its owner, 404 for another client")
    func spilledThroughService() async throws {
        var harness = try BatchHarness()
        harness.taskResults = TaskResults(limits: .init(maxBytes: 1, maxBytesPerClient: 1))
        try await harness.run { env in
            let response = try await env.client.post(
                "/v1/tasks", json: #"{"task_type":"classification","max_tokens":16,"messages":[{"role":"user","content":"Classify: great"}]}"#)
            #expect(response.status == .ok, "\(response.text)")
            let id = try #require(response.json["id"]?.stringValue)
            #expect(env.service.tasks.heldCount == 0)
            let own = try await env.getTask(id)
            #expect(own.status == .ok)
            #expect(own.json["id"]?.stringValue == id && own.json["status"] == "succeeded")
            #expect(try await env.getTask(id, key: ServiceHarness.limitedKey).status == .notFound)
        }
    }
}
