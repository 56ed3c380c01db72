import Foundation
import RouterCore
import Synchronization
import Testing
import UpstreamCurl

@testable import UsageLedgerPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// Where the end-to-end tests find PostgreSQL: `CLAUDE_ROUTER_TEST_PG_URL` (`.ci/run` and
/// `scripts/postgres-for-tests.sh` start a server and set it). They skip, saying why, only when it cannot be reached,
/// and never when `CLAUDE_ROUTER_REQUIRE_PG=1` (CI): then an unreachable server is a failure.
enum E2EPostgres {
    static let url: PostgresURL? = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_TEST_PG_URL"].flatMap {
        try? PostgresURL($0)
    }
    static let required = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_REQUIRE_PG"] == "1"

    /// nil when the server answered; otherwise why the tests do not run.
    static let unreachableReason: String? = {
        guard let url else {
            return "CLAUDE_ROUTER_TEST_PG_URL is not set (scripts/postgres-for-tests.sh starts a server and prints it)"
        }
        do {
            let session = try PostgresSession(url: url)
            session.close()
            return nil
        } catch {
            return "PostgreSQL at \(url) cannot be reached: \(error)"
        }
    }()

    /// Whether the tests run: PostgreSQL answered, or CI requires it (and the test then fails on `#require`).
    static var runs: Bool {
        if unreachableReason == nil || required { return true }
        FileHandle.standardError.write(
            Data("ReplicaEndToEndTests: SKIPPING (PostgreSQL unavailable): \(unreachableReason ?? "")\n".utf8))
        return false
    }

    /// A new empty database; the caller drops it with `drop`.
    static func createDatabase() throws -> PostgresURL {
        if let reason = unreachableReason { Issue.record("PostgreSQL is required: \(reason)") }
        let base = try #require(url)
        let name = "e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try PostgresSession(url: base)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
        var made = base
        made.database = String(name)
        return made
    }

    static func drop(_ database: PostgresURL) {
        guard let base = url, let admin = try? PostgresSession(url: base) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(database.database) WITH (FORCE)")
        admin.close()
    }
}

/// The package root, and the built `claude-router` the replicas run (`swift build` puts it in `.build/debug`).
enum BuiltBinary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var path: String { root.appendingPathComponent(".build/debug/claude-router").path }
}

/// A policy directory for the replicas: the shipped policies with the given files replaced.
func makePolicies(replacing files: [String: String]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-policies-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let shipped = BuiltBinary.root.appendingPathComponent("policies")
    for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) where name.hasSuffix(".yaml") {
        try FileManager.default.copyItem(
            at: shipped.appendingPathComponent(name), to: directory.appendingPathComponent(name))
    }
    for (name, text) in files {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    return directory
}

/// limits.yaml with room for the tests' bursts (the shipped buckets would queue them, which is not under test).
let roomyLimits = """
    headroom_percent: 5
    upstream_may_raise: false
    buckets:
      haiku-4-5: {rpm: 100000, itpm: 100000000, otpm: 100000000}
      sonnet-4: {rpm: 100000, itpm: 100000000, otpm: 100000000}
      opus-4: {rpm: 100000, itpm: 100000000, otpm: 100000000}
    queue:
      max_queued_requests: 10000
      max_wait_ms: 30000
    retries:
      max_attempts: 3
      base_backoff_ms: 100
      max_backoff_ms: 1000
      max_retry_after_ms: 5000
    """

/// A client key and the clients.yaml entry that admits it.
struct TestClient: Sendable {
    let name: String
    let key: String
    /// The YAML lines of its `budget:` (empty: none).
    let budget: String

    var yaml: String {
        var lines = [
            "  - name: \(name)", "    key_sha256: \(SHA256.hex(Array(key.utf8)))",
            "    allowed_tiers: [haiku, sonnet, opus]", "    default_priority: interactive",
        ]
        if !budget.isEmpty {
            lines.append("    budget:")
            lines += budget.split(separator: "\n").map { "      " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func clientsYAML(_ clients: [TestClient]) -> String {
        "clients:\n" + clients.map(\.yaml).joined(separator: "\n") + "\n"
    }
}

/// One `claude-router serve` process: started with `--port 0`, its port read from the "listening" log line.
final class ReplicaProcess: @unchecked Sendable {
    // `output` is guarded by `lock`; the process is started once in `init` and only signalled afterwards.
    let process = Process()
    let name: String
    private let lock = NSLock()
    private var output = ""
    private(set) var port = 0

    init(name: String, arguments: [String]) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: BuiltBinary.path)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        // The upstream is the test's simulator, named by --upstream; never a real key.
        environment["ANTHROPIC_API_KEY"] = nil
        environment["CLAUDE_ROUTER_DB"] = nil
        environment["LOG_LEVEL"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        // Drained on a thread of its own for the whole life of the process (a full pipe would stall it).
        Thread { [weak self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                guard let self else { return }
                self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    /// Waits (at most `timeout`) for the replica to say where it listens.
    func waitUntilListening(timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = lock.withLock { output }
            if let range = text.range(of: "address=http://127.0.0.1:") ?? text.range(of: "\"address\":\"http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), port > 0 {
                    self.port = port
                    return
                }
            }
            if !process.isRunning {
                Issue.record("replica \(name) exited before listening: \(text.suffix(2000))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("replica \(name) did not listen within \(timeout): \(lock.withLock { output }.suffix(2000))")
        throw CancellationError()
    }

    /// What it logged so far (the end of it).
    var log: String { String(lock.withLock { output }.suffix(4000)) }

    /// SIGKILL: no shutdown, no flush, no lease given up.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { kill9() }
}

/// A round-robin TCP forwarder on 127.0.0.1 (a load balancer in miniature): each accepted connection goes to the next
/// backend that accepts a connection, and bytes are pumped both ways until either side closes. With `Connection: close`
/// every request is a connection, so requests rotate over the replicas; a dead replica is skipped.
final class RoundRobinProxy: @unchecked Sendable {
    // `next` and `served` are guarded by `lock`; `listener` is set once in `init` and closed once in `stop`.
    private let lock = NSLock()
    private let listener: Int32
    private let backends: [Int]
    private var next = 0
    private var served: [Int]
    let port: Int

    init(backends: [Int]) throws {
        self.backends = backends
        served = Array(repeating: 0, count: backends.count)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let listening = bound == 0 && listen(fd, 256) == 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        try #require(listening, "the proxy could not listen")
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread { self.forward(client) }.start()
            }
        }.start()
    }

    /// How many connections each backend took.
    var connections: [Int] { lock.withLock { served } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func forward(_ client: Int32) {
        var upstream: Int32 = -1
        for _ in backends.indices {
            let index = lock.withLock {
                defer { next = (next + 1) % backends.count }
                return next
            }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: backends[index])
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if connected == 0 {
                upstream = fd
                lock.withLock { served[index] += 1 }
                break
            }
            close(fd)
        }
        guard upstream >= 0 else {
            close(client)
            return
        }
        let target = upstream
        let done = DispatchGroup()
        done.enter()
        Thread {
            Self.pump(from: client, to: target)
            done.leave()
        }.start()
        Self.pump(from: target, to: client)
        done.wait()
        close(client)
        close(target)
    }

    /// Copies until end of file or an error, then closes the destination for writing (or both ways on an error, so
    /// a killed replica's connection is cut at the client too).
    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                shutdown(destination, Int32(SHUT_RDWR))
                shutdown(source, Int32(SHUT_RDWR))
                return
            }
            var sent = 0
            while sent < count {
                let wrote = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if wrote <= 0 {
                    shutdown(source, Int32(SHUT_RDWR))
                    shutdown(destination, Int32(SHUT_RDWR))
                    return
                }
                sent += wrote
            }
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}

/// What one request got.
struct Outcome: Sendable {
    var status: Int?
    var requestID: String?
    var body: [UInt8] = []
    var transportError: String?
}

/// Sends requests through the proxy with `Connection: close` (so each is a new connection, rotated over the replicas).
struct RouterClient: Sendable {
    let curl: CurlHTTPClient
    let base: String

    func send(_ method: String, _ path: String, key: String, json: String? = nil, headers: [(String, String)] = [])
        async -> Outcome
    {
        var fields: [(name: String, value: String)] = [
            ("x-api-key", key), ("anthropic-version", "2023-06-01"), ("connection", "close"),
        ]
        if json != nil { fields.append(("content-type", "application/json")) }
        for (name, value) in headers { fields.append((name, value)) }
        let request = UpstreamRequest(
            method: method, url: base + path, headers: fields, body: json.map { Array($0.utf8) },
            timeouts: .init(connect: .seconds(10), total: .seconds(120), idle: .seconds(60)))
        do {
            let response = try await curl.execute(request)
            var outcome = Outcome(status: response.status, requestID: response.header("x-router-request-id"))
            do {
                outcome.body = try await response.body.collect(upTo: 16 << 20)
            } catch {
                outcome.transportError = "body: \(error)"
            }
            return outcome
        } catch {
            return Outcome(transportError: "\(error)")
        }
    }
}

/// Parses a JSON object.
func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
}

/// A value behind a lock that closures running concurrently can share (a `Mutex` cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
