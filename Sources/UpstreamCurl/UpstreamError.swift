/// A failed upstream exchange: what went wrong, whether a retry may help, and libcurl's own explanation.
///
/// The message comes from libcurl (or from this module) and never contains the request's headers or body, so it
/// is safe to log: the headers carry the API key.
public struct UpstreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, an opaque and extensible set (compare with the static members).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectFailed, timedOut, connectionReset, tls, cancelled, invalidRequest, responseTooLarge, other
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No connection could be made: refused, unreachable, or the name did not resolve. Nothing was sent.
        public static let connectFailed = Code(.connectFailed)
        /// A connect, total or idle timeout expired.
        public static let timedOut = Code(.timedOut)
        /// The connection broke during the exchange (reset, closed early, HTTP/2 stream error).
        public static let connectionReset = Code(.connectionReset)
        /// The TLS handshake or the peer's certificate verification failed.
        public static let tls = Code(.tls)
        /// The caller cancelled the request (task cancellation, a dropped body, or client shutdown).
        public static let cancelled = Code(.cancelled)
        /// The request could not be sent as given: malformed URL, unsupported scheme, illegal header.
        public static let invalidRequest = Code(.invalidRequest)
        /// The response body exceeded the limit given to `UpstreamBody.collect(upTo:)`.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// Any other failure; see the message.
        public static let other = Code(.other)

        /// The code's name, e.g. `timedOut`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation, usually libcurl's error text; free of secrets.
    public let message: String
    /// Whether any byte of the response (status line included) had arrived when the failure happened.
    ///
    /// A request whose response had started may have been acted on by the server; retrying it can do the work twice.
    public let receivedResponse: Bool
    /// libcurl's `CURLcode`, when the failure came from libcurl, for diagnostics.
    public let curlCode: Int?

    /// Creates an error; libraries above this one normally only receive these.
    public init(code: Code, message: String, receivedResponse: Bool = false, curlCode: Int? = nil) {
        self.code = code
        self.message = message
        self.receivedResponse = receivedResponse
        self.curlCode = curlCode
    }

    /// Whether sending the same request again may succeed: a transport failure before any response byte arrived.
    ///
    /// Connect failures always qualify (nothing reached the server); timeouts and resets only before the response
    /// started. TLS failures, cancellation and invalid requests never do. Idempotency is the caller's decision.
    public var isRetryable: Bool {
        switch code {
        case .connectFailed: true
        case .timedOut, .connectionReset: !receivedResponse
        default: false
        }
    }

    /// `code: message`, safe to log.
    public var description: String { "\(code): \(message)" }
}
