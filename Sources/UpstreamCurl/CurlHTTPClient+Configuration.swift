import CCurl

extension CurlHTTPClient {
    /// How the client connects: connection limits, default timeouts, HTTP version, TLS trust and body buffering.
    public struct Configuration: Sendable {
        /// Most connections open to one host at once (`CURLMOPT_MAX_HOST_CONNECTIONS`); more requests queue.
        /// Over HTTP/2 one connection carries many requests.
        public var maxConnectionsPerHost: Int
        /// Most connections open in total (`CURLMOPT_MAX_TOTAL_CONNECTIONS`); 0 for no limit.
        public var maxTotalConnections: Int
        /// Idle connections kept for reuse (`CURLMOPT_MAXCONNECTS`); keep it at least `maxConnectionsPerHost`.
        public var connectionCacheSize: Int
        /// Timeouts for requests that do not set their own.
        public var timeouts: UpstreamRequest.Timeouts
        /// Which HTTP version to negotiate.
        public var httpVersion: HTTPVersion
        /// A PEM file of trusted CAs instead of the system's; verification itself cannot be turned off.
        public var caBundlePath: String?
        /// A proxy URL; `nil` uses none (libcurl's `http_proxy` environment variables are ignored).
        public var proxy: String?
        /// Buffered body bytes beyond which the transfer pauses until the reader catches up.
        public var bodyHighWaterMark: Int
        /// Buffered body bytes below which a paused transfer resumes.
        public var bodyLowWaterMark: Int
        /// The `User-Agent` sent when a request does not set one; `nil` sends none.
        public var userAgent: String?

        /// Creates a configuration; the defaults suit one busy upstream such as the Claude API.
        public init(
            maxConnectionsPerHost: Int = 64,
            maxTotalConnections: Int = 0,
            connectionCacheSize: Int = 128,
            timeouts: UpstreamRequest.Timeouts = .init(),
            httpVersion: HTTPVersion = .http2OverTLS,
            caBundlePath: String? = nil,
            proxy: String? = nil,
            bodyHighWaterMark: Int = 1 << 20,
            bodyLowWaterMark: Int = 256 << 10,
            userAgent: String? = nil
        ) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxTotalConnections = maxTotalConnections
            self.connectionCacheSize = connectionCacheSize
            self.timeouts = timeouts
            self.httpVersion = httpVersion
            self.caBundlePath = caBundlePath
            self.proxy = proxy
            self.bodyHighWaterMark = bodyHighWaterMark
            self.bodyLowWaterMark = bodyLowWaterMark
            self.userAgent = userAgent
        }

        /// This configuration for one of `count` multi handles: the connection limits divided between them
        /// (rounded up, at least one; "no limit" stays so).
        func shared(among count: Int) -> Configuration {
            guard count > 1 else { return self }
            func part(_ value: Int) -> Int { value <= 0 ? value : max(1, (value + count - 1) / count) }
            var share = self
            share.maxConnectionsPerHost = part(maxConnectionsPerHost)
            share.maxTotalConnections = part(maxTotalConnections)
            share.connectionCacheSize = part(connectionCacheSize)
            return share
        }
    }

    /// The HTTP version the client negotiates.
    public enum HTTPVersion: Sendable, Hashable {
        /// HTTP/1.1 only.
        case http1
        /// HTTP/2 over TLS when the server offers it through ALPN, HTTP/1.1 otherwise (the default).
        case http2OverTLS
        /// HTTP/2 without negotiation, also on cleartext `http://` (h2c with prior knowledge).
        case http2PriorKnowledge

        var curlValue: Int {
            switch self {
            case .http1: Int(CURL_HTTP_VERSION_1_1)
            case .http2OverTLS: Int(CURL_HTTP_VERSION_2TLS)
            case .http2PriorKnowledge: Int(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE)
            }
        }
    }
}
