/// One HTTP call to the Claude API (or the simulator), as the dispatcher hands it to the transport.
public struct UpstreamCall: Sendable {
    public var method: String
    /// Path and query below the upstream's base URL, e.g. `/v1/messages`.
    public var path: String
    /// Headers to send; the transport adds the upstream credentials itself, so they never pass through the core.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// The upstream's answer: status and headers at once, then the body as it arrives.
public struct UpstreamReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The body in chunks, in order, as they arrive from the network.
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: [(name: String, value: String)], body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    public func collectBody(upTo limit: Int) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await chunk in body {
            out.append(contentsOf: chunk)
            if out.count > limit { throw UpstreamTransportError(kind: .bodyTooLarge, message: "upstream body over \(limit) bytes") }
        }
        return out
    }
}

/// A transport failure before or while the upstream answered, in the terms a retry decision needs.
public struct UpstreamTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        case connectFailed, timedOut, connectionReset, tls, cancelled, bodyTooLarge, other
    }

    public var kind: Kind
    /// Safe to show: never contains request headers (they carry the API key).
    public var message: String
    /// True when part of the response had already arrived (a retry could duplicate work).
    public var responseStarted: Bool

    public init(kind: Kind, message: String, responseStarted: Bool = false) {
        self.kind = kind
        self.message = message
        self.responseStarted = responseStarted
    }

    /// Connection-level failures that happened before any response byte are safe to retry.
    public var isRetryable: Bool {
        switch kind {
        case .connectFailed, .connectionReset, .timedOut: !responseStarted
        case .tls, .cancelled, .bodyTooLarge, .other: false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Sends calls to the Claude API. The service's implementation runs over libcurl; tests may use the simulator
/// in-process or a fake.
public protocol UpstreamTransport: Sendable {
    /// Sends `call` and returns as soon as the status and headers have arrived.
    ///
    /// - Throws: `UpstreamTransportError` when no response could be had.
    func send(_ call: UpstreamCall) async throws -> UpstreamReply
}
