/// One HTTP request to send upstream: method, absolute URL, headers, an optional body and optional timeouts.
public struct UpstreamRequest: Sendable {
    /// The HTTP method, e.g. `GET`, `POST`; sent as given.
    public var method: String
    /// The absolute `http://` or `https://` URL; other schemes fail with `invalidRequest`.
    public var url: String
    /// Request headers in order. An empty value sends the header with no value. libcurl adds `Host`,
    /// `Content-Length` and `Accept` unless given here; `Expect` is always sent empty.
    public var headers: [(name: String, value: String)]
    /// The request body, sent with a `Content-Length`; `nil` sends none.
    public var body: [UInt8]?
    /// Timeouts for this request; `nil` uses the client's configured defaults.
    public var timeouts: Timeouts?
    /// Where to connect instead of resolving the URL's host, as libcurl's `CURLOPT_CONNECT_TO` entry
    /// `HOST:PORT:ADDRESS:PORT` (an IPv6 address in brackets); nil resolves normally. TLS still verifies the URL's host.
    public var connectTo: String?

    /// Creates a request.
    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeouts: Timeouts? = nil,
        connectTo: String? = nil
    ) {
        self.connectTo = connectTo
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

extension UpstreamRequest {
    /// How long a request may take to connect, in total, and while no byte moves.
    public struct Timeouts: Sendable, Hashable {
        /// Time allowed to establish the connection (TCP and TLS).
        public var connect: Duration
        /// Time allowed for the whole exchange, body included; `nil` for no limit (long streams).
        public var total: Duration?
        /// Time allowed with no byte received (libcurl's low-speed check, whole seconds, rounded up); `nil` for no
        /// limit. A transfer paused because the consumer is slow does not count as idle.
        public var idle: Duration?

        /// Creates timeouts; the defaults suit a streaming API: 10 s to connect, no total limit, 60 s idle.
        public init(connect: Duration = .seconds(10), total: Duration? = nil, idle: Duration? = .seconds(60)) {
            self.connect = connect
            self.total = total
            self.idle = idle
        }
    }
}
