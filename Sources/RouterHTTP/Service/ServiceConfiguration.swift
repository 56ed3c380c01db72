import RouterCore
import ClaudeAPI
import Foundation

/// How the routing service runs: built once by the executable from flags and environment, then passed down.
///
/// Keys the executable reads into it: `--host`, `--port`, `--policies`, `--db`, `--upstream` /
/// `ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`, `--allow-anonymous`, `--header-timeout-ms`, `--idle-timeout-ms`,
/// `--body-timeout-ms`.
public struct ServiceConfiguration: Sendable {
    /// Address to bind. Anonymous access is only allowed on a loopback address.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// The policy directory, or nil for the embedded defaults.
    public var policiesDirectory: String?
    /// The upstream base URL, e.g. `https://api.anthropic.com`.
    public var upstreamBaseURL: String
    /// The upstream API key; never logged, echoed, stored or returned.
    public var upstreamKey: UpstreamKey?
    /// Accept requests without a client key (as client `anonymous`); refused unless `host` is loopback.
    public var allowAnonymous: Bool
    /// Largest request body accepted (the API's own limit is 32 MB).
    public var maxRequestBytes: Int
    /// Largest non-streamed upstream response body read.
    public var maxUpstreamResponseBytes: Int
    /// How often the policy directory is checked for changes (0 disables watching; SIGHUP still reloads).
    public var policyReloadIntervalMillis: Int
    /// Upper bound on graceful shutdown, streams included.
    public var shutdownGraceMillis: Int
    /// Pass the simulator's `x-sim-*` steering headers upstream (only when the upstream is the built-in simulator).
    public var forwardSimulatorHeaders: Bool
    /// A new connection must deliver a complete request head within this time, or it is closed.
    public var headerTimeoutMillis: Int = 10_000
    /// A kept-alive connection must start its next request within this time, or it is closed.
    public var idleTimeoutMillis: Int = 75_000
    /// A request body must be complete within this time of its head, or the connection is closed (32 MB in 5
    /// minutes is about 110 KB/s).
    public var bodyTimeoutMillis: Int = 300_000
    /// Largest request head (all header fields) accepted; larger is a 400 from the HTTP parser.
    public var maxHeaderBytes: Int = 64 * 1024
    /// How long `/readyz` reuses its upstream probe before probing again.
    public var readinessProbeTTLMillis: Int = 10_000
    /// Where connection handlers run: on the connection's event loop (default) or on Swift's global pool.
    public var handlerExecutor: HandlerExecutor = .eventLoop

    /// Creates a configuration with the documented defaults.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, policiesDirectory: String? = nil,
        upstreamBaseURL: String = "https://api.anthropic.com", upstreamKey: UpstreamKey? = nil,
        allowAnonymous: Bool = false, maxRequestBytes: Int = 32 * 1024 * 1024,
        maxUpstreamResponseBytes: Int = 64 * 1024 * 1024, policyReloadIntervalMillis: Int = 2000,
        shutdownGraceMillis: Int = 10_000, forwardSimulatorHeaders: Bool = false
    ) {
        self.forwardSimulatorHeaders = forwardSimulatorHeaders
        self.host = host
        self.port = port
        self.policiesDirectory = policiesDirectory
        self.upstreamBaseURL = upstreamBaseURL
        self.upstreamKey = upstreamKey
        self.allowAnonymous = allowAnonymous
        self.maxRequestBytes = maxRequestBytes
        self.maxUpstreamResponseBytes = maxUpstreamResponseBytes
        self.policyReloadIntervalMillis = policyReloadIntervalMillis
        self.shutdownGraceMillis = shutdownGraceMillis
    }

    /// Whether `host` is a loopback address: `localhost`, or an IP address (parsed, not matched as text) in
    /// 127.0.0.0/8 or `::1` (also as `::ffff:127.x.y.z`). A name such as `127.attacker.example` is not.
    public var bindsLoopbackOnly: Bool { Self.isLoopback(host) }

    /// Whether `host` is `localhost` or a loopback IP address literal.
    public static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
        // An IPv4-mapped address (::ffff:a.b.c.d) is loopback when its IPv4 part is.
        return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
    }
}

/// The upstream API key. Its description is redacted, so string interpolation into a log line cannot leak it.
public struct UpstreamKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself; read only where the header is built.
    public let value: String

    /// Wraps a key.
    public init(_ value: String) { self.value = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
