import ClaudeAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RouterCore
import ServiceLifecycle
import Synchronization
import Testing
import UpstreamCurl

@testable import ClaudeSimulator
@testable import RouterHTTP

/// Graceful shutdown with an SSE stream in flight: the stream finishes (or is cut at the grace period), its usage
/// reaches the recorder, and the service group returns; with handlers on Swift's pool and on their event loop.
@Suite struct ShutdownTests {
    struct TimedOut: Error {}

    /// Runs `body` with a bound: the test fails instead of hanging.
    static func within<T: Sendable>(
        seconds: Int, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }

    struct Outcome {
        var streamText: String
        var shutdownMillis: Int
        var rows: [UsageRecord]
    }

    /// Starts the simulator, a live router in a service group and a streamed request; triggers graceful shutdown
    /// once the first bytes have reached the client; reads the rest of the stream and waits for the group.
    static func shutDownMidStream(
        outputTokens: Int, interDeltaMillis: Int, graceMillis: Int, executor: HandlerExecutor, driver: UpstreamDriver
    ) async throws -> Outcome {
        var simulatorConfig = SimulatorConfig.default
        simulatorConfig.outputTokens = outputTokens...outputTokens
        simulatorConfig.tokensPerDelta = 1
        simulatorConfig.interDeltaDelayMilliseconds = interDeltaMillis
        let simulator = ClaudeSimulator(config: simulatorConfig, clock: ScaledClock(), logger: Logger(label: "sim"))
        let recorder = MemoryRecorder()
        let policy = try ServiceHarness.policy()
        let result = Mutex<Outcome?>(nil)
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let simPort = try #require(simClient.port)
            // As `serve` builds it with `--upstream-driver`: the stream's transfer on libcurl's thread or on the loops.
            let curl = CurlHTTPClient.forServer(driver: driver)
            let logger = Logger(label: "router-test")
            var configuration = ServiceConfiguration(
                upstreamBaseURL: "http://127.0.0.1:\(simPort)", shutdownGraceMillis: graceMillis)
            configuration.handlerExecutor = executor
            let service = RouterApplication.forTests(
                configuration: configuration,
                policies: PolicyStore(policy: policy, logger: logger),
                transport: CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(simPort)", key: nil),
                recorder: recorder, logger: logger)
            let port = Mutex<Int?>(nil)
            let app = Application(
                router: service.buildRouter(), server: service.httpServer(),
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                logger: logger)
            // The stream service after the app: it is told of the shutdown first, as in `claude-router serve`.
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: app), .init(service: service.streamShutdownService())], logger: logger))
            let running = Task { try await group.run() }
            // Bounded wait for the listener.
            var routerPort: Int?
            for _ in 0..<1_000 {
                routerPort = port.withLock { $0 }
                if routerPort != nil { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let url = "http://127.0.0.1:\(try #require(routerPort))/v1/messages"

            let outcome = try await within(seconds: 30) {
                let response = try await curl.execute(
                    UpstreamRequest(
                        method: "POST", url: url,
                        headers: [
                            ("content-type", "application/json"), ("x-api-key", ServiceHarness.devKey),
                            ("anthropic-version", "2023-06-01"),
                        ],
                        body: Array(
                            messagesBody("Write a story about a lighthouse", maxTokens: 1024, stream: true).utf8)))
                var iterator = response.body.makeAsyncIterator()
                var received = try await iterator.next() ?? []
                // Mid-body: the first events have arrived, the rest are still to come.
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                while let chunk = try await iterator.next() { received += chunk }
                try await running.value
                let elapsed = ContinuousClock.now - start
                let (seconds, attoseconds) = elapsed.components
                let millis = Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
                return Outcome(
                    streamText: String(decoding: received, as: UTF8.self), shutdownMillis: millis,
                    rows: recorder.requests)
            }
            result.withLock { $0 = outcome }
            await curl.shutdown()
        }
        return try #require(result.withLock { $0 })
    }

    @Test(arguments: HandlerExecutor.allCases, UpstreamDriver.allCases)
    func aStreamInFlightFinishesItsUsageIsRecordedAndTheServiceExits(
        executor: HandlerExecutor, driver: UpstreamDriver
    ) async throws {
        // About 30 deltas 10 ms apart: well inside a 10 s grace period.
        let outcome = try await Self.shutDownMidStream(
            outputTokens: 30, interDeltaMillis: 10, graceMillis: 10_000, executor: executor, driver: driver)
        #expect(outcome.streamText.contains("event: message_stop"), "the client got the whole stream")
        #expect(!outcome.streamText.contains("event: error"))
        let row = try #require(outcome.rows.first)
        #expect(outcome.rows.count == 1)
        #expect(row.mode == .stream && row.status == 200 && row.errorType == nil)
        #expect(row.usageEstimated == false)
        #expect(row.usage.output == 30)
    }

    @Test(arguments: HandlerExecutor.allCases, UpstreamDriver.allCases)
    func aStreamThatOutlivesTheGracePeriodIsCutRecordedAndTheServiceExits(
        executor: HandlerExecutor, driver: UpstreamDriver
    ) async throws {
        // 1,000 deltas 40 ms apart would take 40 s; the grace period is 300 ms. (The bound below is far from both, so
        // a loaded machine, where a whole-suite run has seen the shutdown take 6-9 s, does not make it flaky.)
        let outcome = try await Self.shutDownMidStream(
            outputTokens: 1000, interDeltaMillis: 40, graceMillis: 300, executor: executor, driver: driver)
        #expect(!outcome.streamText.contains("event: message_stop"))
        #expect(outcome.streamText.contains("event: error"), "the client is told in the stream's own terms")
        #expect(outcome.streamText.contains("\"type\":\"overloaded_error\""))
        #expect(
            outcome.shutdownMillis < 15_000, "bounded by the grace period, not by the stream (\(outcome.shutdownMillis) ms)")
        let row = try #require(outcome.rows.first)
        #expect(outcome.rows.count == 1)
        #expect(row.errorType == "shutdown_interrupted")
        #expect(row.usageEstimated == true)
        #expect(row.usage.input > 0, "the input side from message_start is kept")
        // No final message_delta came: the output is estimated from the text deltas that did (about 12 in 300 ms).
        #expect(row.usage.output > 3 && row.usage.output < 400, "the output seen before the cut: \(row.usage.output)")
    }
}
