import Synchronization

/// Per-bucket RPM / ITPM / OTPM token buckets that refill continuously (reference §11).
///
/// ITPM is charged at admission with the uncached input plus cache writes (cache reads are free unless the model
/// says otherwise); OTPM is charged when the output is known, and a request is admitted only while some output
/// capacity is left (`max_tokens` does not count). Buckets are keyed by scenario and bucket name so concurrent
/// tests do not share limits. A final class around a `Mutex`: every request passes through it.
final class RateLimiter: Sendable {
    /// One level of a bucket: capacity per minute and what is left.
    struct Level: Sendable {
        var limit: Int
        var available: Double
        var updatedAt: Double

        mutating func refill(at now: Double) {
            let elapsed = max(0, now - updatedAt)
            available = min(Double(limit), available + elapsed * Double(limit) / 60)
            updatedAt = now
        }

        /// Seconds until `amount` is available.
        func secondsUntil(_ amount: Double) -> Double {
            amount <= available ? 0 : (amount - available) * 60 / Double(max(1, limit))
        }

        /// When the level is full again.
        func resetTime(at now: Double) -> Double { now + secondsUntil(Double(limit)) }
    }

    /// The three levels as the headers report them.
    struct Snapshot: Sendable {
        var requests: Level
        var input: Level
        var output: Level
        var now: Double
    }

    /// The result of asking to start a request.
    enum Admission: Sendable {
        case admitted(Snapshot)
        /// Over a limit: retry after this many simulated seconds.
        case limited(retryAfter: Double, Snapshot)
    }

    private struct Bucket {
        var requests: Level
        var input: Level
        var output: Level

        init(limits: RateLimits, now: Double) {
            requests = Level(limit: limits.requestsPerMinute, available: Double(limits.requestsPerMinute), updatedAt: now)
            input = Level(limit: limits.inputTokensPerMinute, available: Double(limits.inputTokensPerMinute), updatedAt: now)
            output = Level(limit: limits.outputTokensPerMinute, available: Double(limits.outputTokensPerMinute), updatedAt: now)
        }

        mutating func refill(at now: Double) {
            requests.refill(at: now)
            input.refill(at: now)
            output.refill(at: now)
        }

        func snapshot(_ now: Double) -> Snapshot { Snapshot(requests: requests, input: input, output: output, now: now) }
    }

    private let buckets = Mutex([String: Bucket]())

    init() {}

    /// Admits a request charging `inputTokens` to ITPM, or says how long to wait.
    func admit(key: String, limits: RateLimits, inputTokens: Int, now: Double) -> Admission {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(limits: limits, now: now)
            bucket.refill(at: now)
            // A request larger than the whole ITPM waits for a full bucket rather than failing forever.
            let input = Double(min(inputTokens, bucket.input.limit))
            let wait = max(
                bucket.requests.secondsUntil(1), bucket.input.secondsUntil(input), bucket.output.secondsUntil(1))
            guard wait == 0 else {
                buckets[key] = bucket
                return .limited(retryAfter: wait, bucket.snapshot(now))
            }
            bucket.requests.available -= 1
            bucket.input.available -= Double(inputTokens)
            buckets[key] = bucket
            return .admitted(bucket.snapshot(now))
        }
    }

    /// Charges generated output to OTPM and returns the levels after it.
    @discardableResult
    func recordOutput(key: String, limits: RateLimits, outputTokens: Int, now: Double) -> Snapshot {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(limits: limits, now: now)
            bucket.refill(at: now)
            bucket.output.available -= Double(outputTokens)
            buckets[key] = bucket
            return bucket.snapshot(now)
        }
    }

    /// Forgets all buckets (they start full again).
    func removeAll() {
        buckets.withLock { $0.removeAll() }
    }
}
