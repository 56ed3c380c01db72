import ClaudeAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import PolicyYAML
import RouterCore
import ServiceLifecycle
import Synchronization
import Testing
import UpstreamCurl

@testable import ClaudeSimulator
@testable import RouterHTTP

/// The router served as `claude-router serve` serves it (its own HTTP server, connection guard included, and its
/// upstream client driven as `--upstream-driver` says) on a loopback port, in front of a live simulator.
///
/// Each run serves on two event loops of its own, as `serve` does on the process's two singleton loops. In the test
/// process the singleton loops carry every other suite's servers, and work queued there by other tests delayed this
/// server's answers past the tests' 10 s socket timeout (about one whole-suite run in four, in
/// `slowConnectionsAreClosedAndDoNotBlockTheHealthCheck`).
enum LiveRouter {
    static func run(
        configure: @Sendable (inout ServiceConfiguration) -> Void = { _ in }, driver: UpstreamDriver = .thread,
        logger custom: Logger? = nil, _ body: @Sendable (_ port: Int, _ recorder: MemoryRecorder) async throws -> Void
    ) async throws {
        let simulator = ClaudeSimulator(config: .default, clock: ScaledClock(), logger: Logger(label: "sim"))
        let policy = try ServiceHarness.policy()
        let recorder = MemoryRecorder()
        try await simulator.buildApplication(port: 0).test(.live) { simClient in
            let simPort = try #require(simClient.port)
            let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let curl = CurlHTTPClient.forServer(driver: driver, eventLoopGroup: .shared(loops))
            var logger = custom ?? Logger(label: "router-test")
            if custom == nil { logger.logLevel = .error }
            var configuration = ServiceConfiguration(
                host: "127.0.0.1", port: 0, upstreamBaseURL: "http://127.0.0.1:\(simPort)",
                forwardSimulatorHeaders: true)
            configure(&configuration)
            let service = RouterApplication.forTests(
                configuration: configuration, policies: PolicyStore(policy: policy, logger: logger),
                transport: CurlTransport(client: curl, baseURL: "http://127.0.0.1:\(simPort)", key: nil),
                pacing: Pacer(policy: policy.limits), recorder: recorder, logger: logger)
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = service.buildApplication(host: "127.0.0.1", port: 0, eventLoopGroup: .shared(loops)) { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(services: [.init(service: app)], logger: logger))
            let running = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port, recorder)
            } catch {
                await group.triggerGracefulShutdown()
                try? await running.value
                await curl.shutdown()
                try? await loops.shutdownGracefully()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await running.value
            await curl.shutdown()
            try await loops.shutdownGracefully()
        }
    }

    /// `GET /healthz` on a new connection: true when it answers 200.
    ///
    /// A probe that gets no answer within the 10 s receive timeout is sent again, up to three times in all, on a new
    /// connection. A blocked server fails all three; a debug build starved of CPU by the other suites (and, on a
    /// developer's machine, by a build running beside them) answered the first probe too late in one whole-suite run.
    static func healthy(port: Int) async -> Bool {
        for _ in 0..<3 {
            let response = await offThePool { RawHTTP.exchange(port: port, RawHTTP.request("GET", "/healthz")) }
            if let response { return response.status == 200 }
        }
        return false
    }
}

/// Issue 10's hostile inputs and a generated variety: each is a typed 4xx in the API's error shape, nothing
/// crashes, the service still answers, and requests accepted around them are all recorded.
@Suite struct HostileInputTests {
    static func bytes(for c: HostileCase) -> [UInt8] {
        if let raw = c.raw { return raw }
        var headers = [("anthropic-version", "2023-06-01"), ("content-type", "application/json")]
        if let key = c.key { headers.append(("x-api-key", key)) }
        headers += c.headers
        return RawHTTP.request(c.method, c.path, headers: headers, body: c.body)
    }

    /// What is wrong with `response` as the answer to `c`, or nil.
    static func problem(_ c: HostileCase, _ response: RawResponse?) -> String? {
        guard let response else { return "no parsable response" }
        guard c.status.contains(response.status) else { return "status \(response.status): \(response.text.prefix(300))" }
        guard (400..<500).contains(response.status) else { return "not a 4xx" }
        if c.method == "HEAD" { return nil }  // no body to check
        guard response.headers["content-type"]?.hasPrefix("application/json") == true else {
            return "content-type \(response.headers["content-type"] ?? "none")"
        }
        guard let (type, message, requestID) = response.apiError else {
            return "not the API's error shape: \(response.text.prefix(200))"
        }
        if let expected = c.errorType, type != expected { return "error type \(type), expected \(expected): \(message)" }
        if let mention = c.mentions, !message.contains(mention) { return "message does not name '\(mention)': \(message)" }
        guard requestID?.hasPrefix("rtr_") == true else { return "no request_id: \(response.text)" }
        return nil
    }

    @Test func theCorpusHasAtLeast500Cases() {
        #expect(HostileCorpus.all.count >= 500, "\(HostileCorpus.all.count) cases")
    }

    @Test func everyHostileInputIsATypedRefusalAndNothingAcceptedIsLost() async throws {
        try await LiveRouter.run { port, recorder in
            let cases = HostileCorpus.all
            let valid = RawHTTP.request(
                "POST", "/v1/messages",
                headers: [
                    ("x-api-key", ServiceHarness.devKey), ("anthropic-version", "2023-06-01"),
                    ("content-type", "application/json"),
                ],
                body: Array(messagesBody("Say hi").utf8))
            let outcome = await offThePool { () -> (failures: [String], accepted: Int, validStatuses: [Int]) in
                var failures: [String] = []
                var statuses: [Int] = []
                for (i, c) in cases.enumerated() {
                    if let problem = Self.problem(c, RawHTTP.exchange(port: port, Self.bytes(for: c))) {
                        failures.append("\(c.name): \(problem)")
                    }
                    // An accepted request every 50 cases: each must be answered and recorded.
                    if i % 50 == 0 { statuses.append(RawHTTP.exchange(port: port, valid)?.status ?? -1) }
                }
                return (failures, statuses.count, statuses)
            }
            #expect(outcome.failures.isEmpty, "\(outcome.failures.count) of \(cases.count) failed:\n\(outcome.failures.prefix(40).joined(separator: "\n"))")
            #expect(outcome.validStatuses.allSatisfy { $0 == 200 }, "\(outcome.validStatuses)")
            #expect(await LiveRouter.healthy(port: port), "the service still answers")
            // Only the accepted requests reached the ledger: every one of them, and nothing of the refused.
            #expect(recorder.requests.count == outcome.accepted)
            #expect(recorder.requests.allSatisfy { $0.status == 200 })
        }
    }

    @Test func aBodyMarkedIdentityIsReadAsAPlainBody() async throws {
        try await LiveRouter.run { port, recorder in
            let response = await offThePool {
                RawHTTP.exchange(
                    port: port,
                    RawHTTP.request(
                        "POST", "/v1/messages",
                        headers: [
                            ("x-api-key", ServiceHarness.devKey), ("anthropic-version", "2023-06-01"),
                            ("content-type", "application/json"), ("content-encoding", "identity"),
                        ],
                        body: Array(messagesBody("Say hi").utf8)))
            }
            #expect(response?.status == 200, "\(response?.text.prefix(300) ?? "no response")")
            #expect(recorder.requests.count == 1)
        }
    }

    @Test func aKeylessRequestIsRefusedFromItsHeadersAndItsBodyIsNeverRead() async throws {
        try await LiveRouter.run { port, _ in
            let result = await offThePool { () -> (RawResponse?, Bool) in
                let fd = RawHTTP.connect(port: port)
                defer { close(fd) }
                // Announces 31 MB and sends none of it: the answer must come anyway, and the connection close.
                RawHTTP.send(
                    fd,
                    Array(
                        "POST /v1/tasks HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 32505856\r\n\r\n"
                            .utf8))
                let (bytes, closed) = RawHTTP.readToEnd(fd)
                return (RawHTTP.parse(bytes), closed)
            }
            let response = try #require(result.0)
            #expect(response.status == 401)
            #expect(response.text.contains(#""type":"authentication_error""#))
            #expect(result.1, "the server closed the connection rather than wait for the body")
        }
    }

    @Test func slowConnectionsAreClosedAndDoNotBlockTheHealthCheck() async throws {
        try await LiveRouter.run(configure: { $0.headerTimeoutMillis = 500 }) { port, _ in
            let sockets = await offThePool { () -> [Int32] in
                (0..<300).map { _ in
                    let fd = RawHTTP.connect(port: port)
                    // Half a request head, never finished.
                    if fd >= 0 { RawHTTP.send(fd, Array("POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-".utf8)) }
                    return fd
                }
            }
            #expect(sockets.allSatisfy { $0 >= 0 }, "300 connections opened")
            #expect(await LiveRouter.healthy(port: port), "/healthz answers with 300 slow connections open")
            // Every slow connection is closed by the server (the read ends in EOF, not in the 10 s receive timeout).
            let closed = await offThePool { sockets.filter { RawHTTP.readToEnd($0).closedByPeer }.count }
            for fd in sockets { close(fd) }
            #expect(closed == 300)
            #expect(await LiveRouter.healthy(port: port))
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosed() async throws {
        try await LiveRouter.run(configure: { $0.idleTimeoutMillis = 300 }) { port, _ in
            let result = await offThePool { () -> (RawResponse?, Bool) in
                let fd = RawHTTP.connect(port: port)
                defer { close(fd) }
                RawHTTP.send(fd, Array("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n".utf8))
                let (bytes, closed) = RawHTTP.readToEnd(fd)
                return (RawHTTP.parse(bytes), closed)
            }
            #expect(result.0?.status == 200)
            #expect(result.1, "closed after the idle timeout")
        }
    }
}
