import NIOCore
import Hummingbird
import Logging
import HTTPTypes
import RouterCore
import ClaudeAPI
/// How the routing service runs: built once by the executable from flags and environment, then passed down.
///
/// Keys the executable reads into it: `--host`, `--port`, `--policies`, `--db`, `--upstream` /
/// `ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`, `--allow-anonymous`.
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

    /// Whether `host` is a loopback address.
    public var bindsLoopbackOnly: Bool {
        host == "127.0.0.1" || host == "localhost" || host == "::1" || host.hasPrefix("127.")
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
