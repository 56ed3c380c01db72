/// The pacing state of one rate-limit bucket: requests, input tokens and output tokens per minute.
///
/// A pure state machine: it reads no clock (every method takes `now`, milliseconds on any monotonic timeline the
/// caller keeps) and does no I/O. A request reserves one request, its estimated input and its `max_tokens` before
/// it is sent; the reservation is reconciled with the real usage when the response ends, or released when the call
/// fails. Every response's `anthropic-ratelimit-*` headers correct the buckets toward the API's own view, so
/// requests wait for headroom here instead of meeting a 429 there.
public struct RateLimiter: Sendable, Hashable {
    /// The configuration the limiter started from.
    public private(set) var config: RateLimitConfig
    private(set) var requests: TokenBucket?
    private(set) var input: TokenBucket?
    private(set) var output: TokenBucket?
    /// Nothing is granted before this time (a 429's `retry-after`).
    private(set) var blockedUntil: Int64

    /// Creates a limiter with full buckets, each at its limit less the configured margin.
    public init(config: RateLimitConfig, now: Int64) {
        self.config = config
        self.requests = config.requestsPerMinute.map { TokenBucket(limit: config.paced($0), now: now) }
        self.input = config.inputTokensPerMinute.map { TokenBucket(limit: config.paced($0), now: now) }
        self.output = config.outputTokensPerMinute.map { TokenBucket(limit: config.paced($0), now: now) }
        self.blockedUntil = now
    }

    /// Takes a new configuration (a policy reload) without losing state.
    ///
    /// Each configured dimension gets its new paced limit as capacity and refill rate; its level is kept (clamped
    /// to the new capacity), so reservations in flight still settle against the right bucket and a reload cannot
    /// be used to reset a spent bucket to full. A dimension the new configuration leaves out keeps what it has
    /// (possibly a limit learnt from headers); one it adds starts full. A `retry-after` block stays.
    public mutating func reconfigure(_ newConfig: RateLimitConfig, now: Int64) {
        func apply(_ bucket: inout TokenBucket?, _ apiLimit: Int64?) {
            guard let apiLimit else { return }
            let limit = newConfig.paced(apiLimit)
            if bucket == nil {
                bucket = TokenBucket(limit: limit, now: now)
            } else if bucket?.limit != limit {
                bucket?.setLimit(limit, now: now)
            }
        }
        apply(&requests, newConfig.requestsPerMinute)
        apply(&input, newConfig.inputTokensPerMinute)
        apply(&output, newConfig.outputTokensPerMinute)
        config = newConfig
    }

    /// Takes one request, `input` input tokens and `maxOutput` output tokens if all three are available now.
    ///
    /// Amounts larger than a bucket's capacity are clamped to it, so an oversized request waits for a full bucket
    /// instead of forever. On `.wait(until:)` nothing was taken.
    public mutating func reserve(now: Int64, input inputTokens: Int64, maxOutput: Int64) -> ReserveResult {
        let wait = millisUntilAvailable(requests: 1, input: inputTokens, output: maxOutput, now: now)
        guard wait == 0 else { return .wait(until: now + wait) }
        requests?.take(1, now: now)
        input?.take(inputTokens, now: now)
        output?.take(maxOutput, now: now)
        let reservation = Reservation(
            inputTokens: Self.clamp(inputTokens, to: input), outputTokens: Self.clamp(maxOutput, to: output),
            grantedAt: now)
        return .granted(reservation)
    }

    /// Milliseconds from `now` until the given amounts would all be available (0 when they are), counting a
    /// `retry-after` block. Used for admission: a queue's total demand gives the wait of its last member.
    public func millisUntilAvailable(
        requests count: Int64, input inputTokens: Int64, output outputTokens: Int64, now: Int64
    )
        -> Int64
    {
        longestWait(requests: count, input: inputTokens, output: outputTokens, now: now) {
            $0.millisUntilAvailable($1, now: now)
        }
    }

    /// Milliseconds from `now` until a queue with this total demand would have been served at the buckets' refill
    /// rates, counting a `retry-after` block. Pass sums of `clampedInput`/`clampedOutput` per request.
    public func millisToServe(requests count: Int64, input inputTokens: Int64, output outputTokens: Int64, now: Int64)
        -> Int64
    {
        longestWait(requests: count, input: inputTokens, output: outputTokens, now: now) {
            $0.millisToServe($1, now: now)
        }
    }

    /// The longest of the `retry-after` block and each configured bucket's `wait` for its amount.
    private func longestWait(
        requests count: Int64, input inputTokens: Int64, output outputTokens: Int64, now: Int64,
        _ wait: (TokenBucket, Int64) -> Int64
    ) -> Int64 {
        var longest = max(0, blockedUntil - now)
        if let requests { longest = max(longest, wait(requests, count)) }
        if let input { longest = max(longest, wait(input, inputTokens)) }
        if let output { longest = max(longest, wait(output, outputTokens)) }
        return longest
    }

    /// The input tokens a request of `amount` would reserve (clamped to the ITPM capacity).
    public func clampedInput(_ amount: Int64) -> Int64 { Self.clamp(amount, to: input) }

    /// The output tokens a request of `maxOutput` would reserve (clamped to the OTPM capacity).
    public func clampedOutput(_ maxOutput: Int64) -> Int64 { Self.clamp(maxOutput, to: output) }

    /// Settles a reservation with the usage the API reported: unused input and output go back to the buckets,
    /// an underestimate is charged. Cache reads do not count toward ITPM unless the configuration says so.
    public mutating func reconcile(_ reservation: Reservation, usage: TokenUsage, now: Int64) {
        var countedInput = usage.input + usage.cacheWrite5m + usage.cacheWrite1h
        if config.cacheReadsCountTowardInput { countedInput += usage.cacheRead }
        input?.adjust(by: reservation.inputTokens - countedInput, now: now)
        output?.adjust(by: reservation.outputTokens - usage.output, now: now)
    }

    /// Gives back a reservation whose call produced no usage (an error response, a connection failure).
    /// - Parameter requestSent: whether the request reached the API; if so its RPM slot stays spent, as the API
    ///   counted it.
    public mutating func release(_ reservation: Reservation, requestSent: Bool, now: Int64) {
        if !requestSent { requests?.adjust(by: 1, now: now) }
        input?.adjust(by: reservation.inputTokens, now: now)
        output?.adjust(by: reservation.outputTokens, now: now)
    }

    /// Corrects the buckets from what a response's headers said.
    ///
    /// - A `limit` different from ours replaces it (capacity and refill rate, less the configured margin), and
    ///   starts pacing a dimension the configuration left unpaced. A configured limit is a ceiling: a higher
    ///   reported one is taken only up to it, unless `config.upstreamMayRaise`.
    /// - A `remaining` lower than our level lowers it: the API counts traffic we do not see (other routers, the
    ///   console, rounding). A higher one is ignored, since our level already counts requests in flight. The
    ///   margin is kept here too: the level goes to at most `remaining` less the margin's share of the limit.
    /// - A `reset` later than our refill would reach full lowers the level so that we reach full at that time.
    /// - A 429's `retry-after` closes the bucket until it has passed.
    public mutating func observe(_ observation: RateLimitObservation, now: Int64) {
        Self.correct(&requests, with: observation.requests, configured: config.requestsPerMinute, config, now: now)
        Self.correct(&input, with: observation.inputTokens, configured: config.inputTokensPerMinute, config, now: now)
        Self.correct(
            &output, with: observation.outputTokens, configured: config.outputTokensPerMinute, config, now: now)
        if let retryAfter = observation.retryAfterMillis, retryAfter > 0 {
            blockedUntil = max(blockedUntil, now + retryAfter)
        }
    }

    /// What is available at `now`, for metrics.
    public func headroom(now: Int64) -> Headroom {
        Headroom(
            requests: requests?.available(now: now), inputTokens: input?.available(now: now),
            outputTokens: output?.available(now: now), blockedForMillis: max(0, blockedUntil - now))
    }

    private static func clamp(_ amount: Int64, to bucket: TokenBucket?) -> Int64 {
        guard let bucket else { return max(0, amount) }
        return min(max(0, amount), bucket.limit)
    }

    private static func correct(
        _ bucket: inout TokenBucket?, with report: RateLimitObservation.Dimension, configured: Int64?,
        _ config: RateLimitConfig, now: Int64
    ) {
        guard !report.isEmpty else { return }
        if let reported = report.limit, reported > 0 {
            let limit = configured.map { config.upstreamMayRaise ? reported : min(reported, $0) } ?? reported
            let paced = config.paced(limit)
            if bucket == nil {
                bucket = TokenBucket(limit: paced, now: now)
            } else if bucket?.limit != paced {
                bucket?.setLimit(paced, now: now)
            }
        }
        guard var current = bucket else { return }
        if let remaining = report.remaining {
            let apiLimit = report.limit ?? configured ?? current.limit
            current.lower(toAtMost: max(0, remaining - config.reserve(of: apiLimit)), now: now)
        }
        if let resetIn = report.resetInMillis, resetIn > 0 {
            // Full at `now + resetIn` at our refill rate means a level of at most capacity - rate·resetIn.
            let fullIn = min(resetIn, TokenBucket.scale)
            let ceiling = current.limit - (current.limit * fullIn + TokenBucket.scale - 1) / TokenBucket.scale
            current.lower(toAtMost: max(0, ceiling), now: now)
        }
        bucket = current
    }
}
