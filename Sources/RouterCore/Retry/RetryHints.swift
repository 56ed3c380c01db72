/// What an error response's headers and body say about retrying it.
public struct RetryHints: Sendable, Hashable {
    /// The wait the API asked for: `retry-after-ms` (milliseconds), else `retry-after` (seconds), rounded up.
    public var retryAfterMillis: Int64?
    /// The API's `x-should-retry` verdict, when it gave one.
    public var shouldRetry: Bool?
    /// The 429 was the monthly spend cap (`error.details.error_code == "enforced_spend_limit_reached"`): retrying
    /// fails until next month, so it is never retried.
    public var spendLimitReached: Bool

    /// Creates hints from values already parsed.
    public init(retryAfterMillis: Int64? = nil, shouldRetry: Bool? = nil, spendLimitReached: Bool = false) {
        self.retryAfterMillis = retryAfterMillis
        self.shouldRetry = shouldRetry
        self.spendLimitReached = spendLimitReached
    }

    /// Reads `retry-after-ms`, `retry-after` and `x-should-retry`.
    /// - Parameters:
    ///   - header: looks up a header by its lower-case name (first value), e.g. `{ fields[$0] }`.
    ///   - spendLimitReached: whether the error body said `enforced_spend_limit_reached`.
    public init(spendLimitReached: Bool = false, header: (String) -> String?) {
        self.spendLimitReached = spendLimitReached
        if let millis = header("retry-after-ms").flatMap({ Self.positiveMillis($0, scale: 1) }) {
            self.retryAfterMillis = millis
        } else {
            // An HTTP-date `retry-after` is allowed by RFC 9110 but the API sends seconds; a date is ignored.
            self.retryAfterMillis = header("retry-after").flatMap { Self.positiveMillis($0, scale: 1_000) }
        }
        switch header("x-should-retry")?.trimmingSpaces.lowercased() {
        case "true": self.shouldRetry = true
        case "false": self.shouldRetry = false
        default: self.shouldRetry = nil
        }
    }

    static func positiveMillis(_ text: String, scale: Double) -> Int64? {
        guard let value = Double(text.trimmingSpaces), value.isFinite, value >= 0 else { return nil }
        // A day is far beyond any wait we would honour; the cap keeps the conversion in range.
        let millis = min(value * scale, 86_400_000).rounded(.up)
        return Int64(millis)
    }
}
