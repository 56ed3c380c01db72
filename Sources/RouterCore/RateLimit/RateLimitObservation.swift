import ClaudeAPI

/// What one response's `anthropic-ratelimit-*` and `retry-after` headers say about a bucket, with reset times
/// turned into durations so the limiter can apply them on its own (monotonic) timeline.
public struct RateLimitObservation: Sendable, Hashable {
    /// One limited dimension as the API reported it. Every field is optional: responses may carry any subset.
    public struct Dimension: Sendable, Hashable {
        /// The per-minute limit (`*-limit`).
        public var limit: Int64?
        /// What is left (`*-remaining`; token counts arrive rounded to the nearest thousand).
        public var remaining: Int64?
        /// Milliseconds from the response until the dimension is fully replenished (`*-reset`, RFC 3339).
        public var resetInMillis: Int64?

        /// Creates a dimension report.
        public init(limit: Int64? = nil, remaining: Int64? = nil, resetInMillis: Int64? = nil) {
            self.limit = limit
            self.remaining = remaining
            self.resetInMillis = resetInMillis
        }

        /// True when the response carried nothing for this dimension.
        public var isEmpty: Bool { limit == nil && remaining == nil && resetInMillis == nil }
    }

    /// `anthropic-ratelimit-requests-*`.
    public var requests: Dimension
    /// `anthropic-ratelimit-input-tokens-*`.
    public var inputTokens: Dimension
    /// `anthropic-ratelimit-output-tokens-*`.
    public var outputTokens: Dimension
    /// On a 429, how long the API asked us to stay away (`retry-after-ms`, else `retry-after` seconds).
    public var retryAfterMillis: Int64?

    /// Creates an observation from values already parsed.
    public init(
        requests: Dimension = Dimension(), inputTokens: Dimension = Dimension(),
        outputTokens: Dimension = Dimension(), retryAfterMillis: Int64? = nil
    ) {
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.retryAfterMillis = retryAfterMillis
    }

    /// Parses a response's headers.
    /// - Parameters:
    ///   - status: the HTTP status; `retry-after` closes the bucket only on a 429 (on a 529 it speaks of the
    ///     API's load, not of our quota).
    ///   - receivedAtUnixMillis: the wall-clock time the response arrived, to turn RFC 3339 resets into durations.
    ///   - header: looks up a header by its lower-case name (first value), e.g. `{ fields[$0] }`.
    public init(status: Int, receivedAtUnixMillis: Int64, header: (String) -> String?) {
        func dimension(_ names: HeaderNames) -> Dimension {
            let reset = header(names.reset).flatMap(RFC3339.unixMillis(_:)).map {
                max(0, $0 - receivedAtUnixMillis)
            }
            return Dimension(
                limit: header(names.limit).flatMap(Self.integer(_:)),
                remaining: header(names.remaining).flatMap(Self.integer(_:)),
                resetInMillis: reset)
        }
        self.requests = dimension(.requests)
        self.inputTokens = dimension(.inputTokens)
        self.outputTokens = dimension(.outputTokens)
        self.retryAfterMillis = status == 429 ? RetryHints(header: header).retryAfterMillis : nil
    }

    /// One dimension's three header names, spelled once (every response is looked up by them).
    struct HeaderNames: Sendable {
        let limit: String
        let remaining: String
        let reset: String

        init(_ dimension: String) {
            let prefix = "anthropic-ratelimit-\(dimension)-"
            (limit, remaining, reset) = (prefix + "limit", prefix + "remaining", prefix + "reset")
        }

        static let requests = HeaderNames("requests")
        static let inputTokens = HeaderNames("input-tokens")
        static let outputTokens = HeaderNames("output-tokens")
    }

    static func integer(_ text: String) -> Int64? {
        Int64(text.trimmingSpaces)
    }
}
