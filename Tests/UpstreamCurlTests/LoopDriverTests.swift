import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import UpstreamCurl

/// A client driven by event loops (`CurlLoopExecutor`), called from those loops' own threads as the router's
/// handlers call it: the transfer is added and sent there and then, and its caller is resumed on its loop.
@Suite(.timeLimit(.minutes(5)))
struct LoopDriverTests {
    static let executors = Driver.group.makeIterator().map { LoopExecutor($0) }

    /// Runs `body` as a task that prefers `executor`, so every call it makes starts on the loop's thread.
    static func onLoop<T: Sendable>(
        _ executor: LoopExecutor, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await Task(executorPreference: executor) { try await body() }.value
    }

    /// The code of the error `request` fails with, or `nil` if it succeeds.
    static func failure(of client: CurlHTTPClient, _ request: UpstreamRequest) async -> UpstreamError.Code? {
        do throws(UpstreamError) {
            _ = try await client.execute(request)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func callsMadeOnALoopUseThatLoopsHandleAndItsOneConnection() async throws {
        try await TestServer.with { _, base in
            let client = CurlHTTPClient(executors: Self.executors)
            for executor in Self.executors {
                let bodies = try await Self.onLoop(executor) {
                    var bodies: [[UInt8]] = []
                    for index in 0..<20 {
                        #expect(executor.isCurrent)
                        let response = try await client.execute(UpstreamRequest(url: "\(base)/bytes/\(index + 1)"))
                        bodies.append(try await response.body.collect(upTo: 1024))
                    }
                    return bodies
                }
                #expect(bodies == (0..<20).map { TestServer.pattern(from: 0, count: $0 + 1) })
            }
            // Each loop's calls went to its own handle and reused one connection there.
            #expect(client.metrics.connectionsOpened == 2)
            #expect(client.metrics.transfersCompleted == 40)
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }

    @Test func concurrentCallsOnOneLoopEachGetTheirOwnResponse() async throws {
        try await TestServer.with { _, base in
            let client = CurlHTTPClient(configuration: .init(maxConnectionsPerHost: 8), executors: Self.executors)
            let executor = Self.executors[0]
            let matched = try await Self.onLoop(executor) {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<100 {
                        group.addTask(executorPreference: executor) {
                            try await TestServer.echoes(index, through: client, base: base)
                        }
                    }
                    var matched = 0
                    for try await ok in group where ok { matched += 1 }
                    return matched
                }
            }
            #expect(matched == 100)
            // The limit is shared between the two handles: 4 each, and only this loop's handle was used.
            #expect(client.metrics.connectionsOpened <= 4)
            await client.shutdown()
        }
    }

    @Test func aBodyReadOnTheLoopPausesAndResumesWithoutLosingBytes() async throws {
        try await TestServer.with { _, base in
            let client = CurlHTTPClient(
                configuration: .init(bodyHighWaterMark: 32 * 1024, bodyLowWaterMark: 8 * 1024),
                executors: Self.executors)
            let count = 3 << 20
            let received = try await Self.onLoop(Self.executors[1]) {
                let response = try await client.execute(UpstreamRequest(url: "\(base)/bytes/\(count)"))
                var received: [UInt8] = []
                for try await chunk in response.body { received += chunk }
                return received
            }
            #expect(received == TestServer.pattern(from: 0, count: count))
            await client.shutdown()
        }
    }

    @Test func cancellingOnTheLoopStopsTheTransferAndFreesItsHandle() async throws {
        try await TestServer.with { server, base in
            let client = CurlHTTPClient(executors: Self.executors)
            let task = Task(executorPreference: Self.executors[0]) {
                try await client.execute(UpstreamRequest(url: "\(base)/stall"))
            }
            await server.arrived.wait()
            #expect(client.activeTransfers == 1)
            task.cancel()
            #expect((await task.result.failure as? UpstreamError)?.code == .cancelled)
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }

    @Test func shutdownFromTheLoopCancelsWhatRunsAndRefusesNewCalls() async throws {
        try await TestServer.with { server, base in
            let client = CurlHTTPClient(executors: Self.executors)
            let stalled = Task(executorPreference: Self.executors[1]) {
                try await client.execute(UpstreamRequest(url: "\(base)/stall"))
            }
            await server.arrived.wait()
            let refused = try await Self.onLoop(Self.executors[1]) { () async -> UpstreamError.Code? in
                await client.shutdown()
                return await Self.failure(of: client, UpstreamRequest(url: "\(base)/hello"))
            }
            #expect(refused == .cancelled)
            #expect((await stalled.result.failure as? UpstreamError)?.code == .cancelled)
            #expect(client.activeTransfers == 0)
        }
    }

    @Test func aTimeoutFiresOnTheLoop() async throws {
        try await TestServer.with { _, base in
            let client = CurlHTTPClient(executors: Self.executors)
            let code = try await Self.onLoop(Self.executors[0]) {
                await Self.failure(
                    of: client, UpstreamRequest(url: "\(base)/stall", timeouts: .init(total: .milliseconds(300))))
            }
            #expect(code == .timedOut)
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
