import Testing

@testable import RouterCore

/// A random source that always returns the same word: 0 gives the lowest jitter, `.max` the highest.
struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// A deterministic xorshift source for sampling.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Suite struct RetryPolicyTests {
    static let policy = RetryPolicy(maxAttempts: 3, baseBackoffMillis: 500, maxBackoffMillis: 8_000)

    static func decide(
        _ outcome: AttemptOutcome, attempt: Int = 1, clientHasBytes: Bool = false, now: Int64 = 0,
        deadline: Int64? = nil, fallback: String? = nil, random: UInt64 = 0
    ) -> RetryDecision {
        var source = FixedRandom(value: random)
        return policy.decide(
            outcome, attempt: attempt, clientHasBytes: clientHasBytes, now: now, deadline: deadline,
            fallback: fallback, using: &source)
    }

    static func status(_ code: Int, _ hints: RetryHints = RetryHints()) -> AttemptOutcome {
        .response(status: code, hints: hints)
    }

    /// Status × attempt → decision, with the lowest jitter so a retry waits 0 ms.
    @Test(arguments: [
        (429, 1, RetryDecision.retry(afterMillis: 0)),
        (429, 2, .retry(afterMillis: 0)),
        (429, 3, .giveUp),
        (500, 1, .retry(afterMillis: 0)),
        (500, 3, .giveUp),
        (529, 1, .retry(afterMillis: 0)),
        (529, 3, .giveUp),
        (502, 1, .retry(afterMillis: 0)),
        (504, 2, .retry(afterMillis: 0)),
        (408, 1, .retry(afterMillis: 0)),
        (409, 1, .retry(afterMillis: 0)),
        (400, 1, .giveUp),
        (401, 1, .giveUp),
        (403, 1, .giveUp),
        (404, 1, .giveUp),
        (413, 1, .giveUp),
        (422, 1, .giveUp),
        (402, 1, .giveUp),
    ])
    func statusAndAttemptDecideWhetherToRetry(status: Int, attempt: Int, expected: RetryDecision) {
        #expect(Self.decide(Self.status(status), attempt: attempt) == expected)
    }

    @Test(arguments: [
        (AttemptOutcome.ConnectionFailure.connectFailed, RetryDecision.retry(afterMillis: 0)),
        (.reset, .retry(afterMillis: 0)),
        (.timedOutBeforeFirstByte, .retry(afterMillis: 0)),
        (.timedOutAfterFirstByte, .giveUp),
    ])
    func connectionFailuresBeforeAnyByteAreRetried(failure: AttemptOutcome.ConnectionFailure, expected: RetryDecision) {
        #expect(Self.decide(.connection(failure)) == expected)
    }

    @Test func fullJitterStaysWithinZeroAndTheDoublingCeiling() {
        var source = SeededRandom(state: 0x9E37_79B9_7F4A_7C15)
        for (retries, ceiling) in [(0, Int64(500)), (1, 1_000), (2, 2_000), (4, 8_000), (10, 8_000), (100, 8_000)] {
            var seen: Set<Int64> = []
            for _ in 0..<500 {
                let wait = Self.policy.jitter(retriesTaken: retries, using: &source)
                #expect((0...ceiling).contains(wait))
                seen.insert(wait / (ceiling / 4 + 1))
            }
            // Full jitter covers the whole range, not only its top.
            #expect(seen.count == 4)
        }
    }

    @Test func jitterReachesItsCeiling() {
        var top = FixedRandom(value: .max)
        #expect(Self.policy.jitter(retriesTaken: 2, using: &top) == 2_000)
    }

    @Test func retryAfterSecondsIsAFloorOnTheWait() {
        let headers = ["retry-after": "3"]
        let hints = RetryHints { headers[$0] }
        #expect(Self.decide(Self.status(429, hints), random: .max) == .retry(afterMillis: 3_000))
    }

    @Test func retryAfterMillisecondsWinsOverSeconds() {
        let headers = ["retry-after": "3", "retry-after-ms": "1250.5"]
        let hints = RetryHints { headers[$0] }
        #expect(hints.retryAfterMillis == 1_251)
        #expect(Self.decide(Self.status(529, hints)) == .retry(afterMillis: 1_251))
    }

    @Test func aLongerJitterThanRetryAfterIsKept() {
        let hints = RetryHints(retryAfterMillis: 100)
        #expect(Self.decide(Self.status(500, hints), attempt: 2, random: .max) == .retry(afterMillis: 1_000))
    }

    @Test func aRetryAfterBeyondTheHonouredMaximumEndsTheRetries() {
        #expect(Self.decide(Self.status(429, RetryHints(retryAfterMillis: 120_000))) == .giveUp)
    }

    @Test func aWaitPastTheDeadlineEndsTheRetries() {
        let hints = RetryHints(retryAfterMillis: 2_000)
        #expect(Self.decide(Self.status(429, hints), now: 10_000, deadline: 11_000) == .giveUp)
        #expect(Self.decide(Self.status(429, hints), now: 10_000, deadline: 12_000) == .retry(afterMillis: 2_000))
    }

    @Test func nothingIsRetriedOnceTheClientHasBytes() {
        #expect(Self.decide(Self.status(529), clientHasBytes: true, fallback: "claude-sonnet-5") == .giveUp)
        #expect(Self.decide(.connection(.reset), clientHasBytes: true) == .giveUp)
    }

    @Test func a529FallsBackAtOnceWhenThePolicyNamesAModel() {
        #expect(Self.decide(Self.status(529), fallback: "claude-sonnet-5") == .fallback(to: "claude-sonnet-5"))
    }

    @Test func exhaustedRetriesOfARateLimitFallBack() {
        #expect(
            Self.decide(Self.status(429), attempt: 3, fallback: "claude-sonnet-5") == .fallback(to: "claude-sonnet-5"))
        #expect(Self.decide(Self.status(429), attempt: 1, fallback: "claude-sonnet-5") == .retry(afterMillis: 0))
    }

    @Test func aDeadlineTooCloseForARetryFallsBack() {
        let hints = RetryHints(retryAfterMillis: 5_000)
        #expect(Self.decide(Self.status(429, hints), deadline: 1_000, fallback: "m") == .fallback(to: "m"))
    }

    @Test func clientErrorsNeverFallBack() {
        #expect(Self.decide(Self.status(400), fallback: "m") == .giveUp)
    }

    @Test func connectionFailuresDoNotFallBack() {
        #expect(Self.decide(.connection(.connectFailed), attempt: 3, fallback: "m") == .giveUp)
    }

    @Test func xShouldRetryFalseIsObeyed() {
        let headers = ["x-should-retry": "false"]
        #expect(Self.decide(Self.status(429, RetryHints { headers[$0] })) == .giveUp)
    }

    @Test func xShouldRetryTrueMakesOtherStatusesRetryableButNeverA400() {
        let headers = ["x-should-retry": "true"]
        let hints = RetryHints { headers[$0] }
        #expect(Self.decide(Self.status(422, hints)) == .retry(afterMillis: 0))
        #expect(Self.decide(Self.status(400, hints)) == .giveUp)
    }

    @Test func theSpendCap429IsNeverRetried() {
        #expect(Self.decide(Self.status(429, RetryHints(spendLimitReached: true)), fallback: "m") == .giveUp)
    }

    @Test func malformedRetryAfterIsIgnored() {
        let headers = ["retry-after": "Wed, 21 Oct 2026 07:28:00 GMT", "x-should-retry": "maybe"]
        let hints = RetryHints { headers[$0] }
        #expect(hints == RetryHints())
    }
}
