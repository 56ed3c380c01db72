import Testing

@testable import RouterCore

/// The dispatch state machine on its own: events in, actions out, time given by the test (no clock, no sleeping).
@Suite struct DispatchMachineTests {
    static func model(_ id: String, tier: Tier) -> ModelSpec {
        ModelSpec(
            id: id, tier: tier, contextWindow: 200_000, maxOutputTokens: 32_000, minCacheableTokens: 1_024,
            rateLimitBucket: id, prices: [])
    }

    static let opus = model("claude-opus-4-6", tier: .opus)
    static let sonnet = model("claude-sonnet-4-6", tier: .sonnet)
    static let haiku = model("claude-haiku-4-5", tier: .haiku)
    /// 3 attempts per model, a backoff ceiling of 500 ms doubling to 8 s, `retry-after` honoured up to 60 s.
    static let policy = RetryPolicy(maxAttempts: 3, baseBackoffMillis: 500, maxBackoffMillis: 8_000)

    static func machine(_ models: [ModelSpec] = [opus], deadline: Int64? = nil) -> DispatchMachine {
        DispatchMachine(models: models, policy: policy, deadline: deadline)
    }

    static func status(_ code: Int, _ hints: RetryHints = RetryHints()) -> DispatchMachine.AttemptEnd {
        .response(status: code, hints: hints)
    }

    @Test func aSuccessOnTheFirstAttemptFinishesWithThatModel() {
        var machine = Self.machine()
        #expect(machine.receive(.start(now: 0)) == .send(model: Self.opus, attempt: 1))
        #expect(machine.receive(.attemptFinished(Self.status(200), now: 10, random: 0)) == .finish(model: Self.opus))
        #expect(machine.attempts == 1)
    }

    @Test func a429WaitsItsJitteredBackoffThenSendsTheSameModelAgain() {
        var machine = Self.machine()
        _ = machine.receive(.start(now: 1_000))
        // The highest draw gives the whole first ceiling: 500 ms.
        #expect(machine.receive(.attemptFinished(Self.status(429), now: 1_000, random: .max)) == .wait(until: 1_500))
        #expect(machine.receive(.waitFinished(now: 1_500)) == .send(model: Self.opus, attempt: 2))
        // The second retry's ceiling has doubled: 1 s.
        #expect(machine.receive(.attemptFinished(Self.status(429), now: 1_600, random: .max)) == .wait(until: 2_600))
        #expect(machine.receive(.waitFinished(now: 2_600)) == .send(model: Self.opus, attempt: 3))
        #expect(machine.receive(.attemptFinished(Self.status(200), now: 2_700, random: 0)) == .finish(model: Self.opus))
    }

    @Test func a429ThenA529FallsBackToTheNextModelAtOnce() {
        var machine = Self.machine([Self.opus, Self.sonnet])
        _ = machine.receive(.start(now: 0))
        #expect(machine.receive(.attemptFinished(Self.status(429), now: 0, random: 0)) == .wait(until: 0))
        #expect(machine.receive(.waitFinished(now: 0)) == .send(model: Self.opus, attempt: 2))
        // Opus is overloaded: Sonnet takes over without a wait, and its attempts count from 1 again.
        #expect(machine.receive(.attemptFinished(Self.status(529), now: 5, random: 0)) == .send(model: Self.sonnet, attempt: 3))
        #expect(machine.receive(.attemptFinished(Self.status(500), now: 6, random: .max)) == .wait(until: 506))
        #expect(machine.receive(.waitFinished(now: 506)) == .send(model: Self.sonnet, attempt: 4))
        #expect(machine.receive(.attemptFinished(Self.status(200), now: 600, random: 0)) == .finish(model: Self.sonnet))
    }

    @Test func a529OnTheLastModelIsRetriedThenReturned() {
        var machine = Self.machine([Self.sonnet])
        _ = machine.receive(.start(now: 0))
        for attempt in 2...3 {
            #expect(machine.receive(.attemptFinished(Self.status(529), now: 0, random: 0)) == .wait(until: 0))
            #expect(machine.receive(.waitFinished(now: 0)) == .send(model: Self.sonnet, attempt: attempt))
        }
        // Out of attempts: the API's last answer is handed back as it is.
        #expect(machine.receive(.attemptFinished(Self.status(529), now: 0, random: 0)) == .finish(model: Self.sonnet))
    }

    @Test func exhaustedRetriesOfAnAPIErrorFallBackBeforeGivingUp() {
        var machine = Self.machine([Self.opus, Self.sonnet])
        _ = machine.receive(.start(now: 0))
        _ = machine.receive(.attemptFinished(Self.status(500), now: 0, random: 0))
        _ = machine.receive(.waitFinished(now: 0))
        _ = machine.receive(.attemptFinished(Self.status(500), now: 0, random: 0))
        _ = machine.receive(.waitFinished(now: 0))
        #expect(machine.receive(.attemptFinished(Self.status(500), now: 0, random: 0)) == .send(model: Self.sonnet, attempt: 4))
    }

    @Test func aRetryAfterLongerThanTheBackoffIsHonoured() {
        var machine = Self.machine()
        _ = machine.receive(.start(now: 100))
        let hints = RetryHints(header: { $0 == "retry-after" ? "7" : nil })
        #expect(machine.receive(.attemptFinished(Self.status(429, hints), now: 100, random: .max)) == .wait(until: 7_100))
    }

    /// `retry-after` values as the API might send them, and the wait they give (jitter 0).
    @Test(arguments: [
        ("-5", 0 as Int64?),  // negative: ignored, the backoff alone
        ("soon", 0),  // unreadable: ignored
        ("2.5", 2_500),  // fractional seconds, rounded up to the millisecond
        ("60", 60_000),  // the longest honoured
        ("61", nil),  // longer than max_retry_after_ms: the retries end
        ("1e300", nil),  // absurd: capped at a day, still too long
    ])
    func retryAfterIsCheckedBeforeItIsHonoured(header: String, wait: Int64?) {
        var machine = Self.machine()
        _ = machine.receive(.start(now: 0))
        let hints = RetryHints(header: { $0 == "retry-after" ? header : nil })
        let action = machine.receive(.attemptFinished(Self.status(429, hints), now: 0, random: 0))
        #expect(action == (wait.map { .wait(until: $0) } ?? .finish(model: Self.opus)))
    }

    @Test func aWaitThatWouldEndPastTheDeadlineReturnsTheAPIErrorInstead() {
        var machine = Self.machine(deadline: 5_000)
        _ = machine.receive(.start(now: 1_000))
        let hints = RetryHints(retryAfterMillis: 4_001)
        // 1 000 + 4 001 is past 5 000: no wait; the 429 is the answer.
        #expect(machine.receive(.attemptFinished(Self.status(429, hints), now: 1_000, random: 0)) == .finish(model: Self.opus))
    }

    @Test func aWaitThatEndsOnTheDeadlineIsStillTaken() {
        var machine = Self.machine(deadline: 5_000)
        _ = machine.receive(.start(now: 1_000))
        let hints = RetryHints(retryAfterMillis: 4_000)
        #expect(machine.receive(.attemptFinished(Self.status(429, hints), now: 1_000, random: 0)) == .wait(until: 5_000))
    }

    @Test func theDeadlineMovesAnAPIErrorToTheFallbackModel() {
        var machine = Self.machine([Self.opus, Self.sonnet], deadline: 5_000)
        _ = machine.receive(.start(now: 1_000))
        let hints = RetryHints(retryAfterMillis: 30_000)
        #expect(
            machine.receive(.attemptFinished(Self.status(429, hints), now: 1_000, random: 0))
                == .send(model: Self.sonnet, attempt: 2))
    }

    @Test func aConnectionFailureNearTheDeadlineGivesUpUnreachable() {
        var machine = Self.machine([Self.opus, Self.sonnet], deadline: 1_100)
        _ = machine.receive(.start(now: 1_000))
        // The backoff (up to 500 ms) would end past the deadline; connection failures never fall back.
        #expect(
            machine.receive(.attemptFinished(.connection(.connectFailed), now: 1_000, random: .max))
                == .giveUp(.unreachable(attempts: 1)))
    }

    @Test func connectionFailuresAreRetriedThenGiveUpUnreachable() {
        var machine = Self.machine([Self.opus, Self.sonnet])
        _ = machine.receive(.start(now: 0))
        #expect(machine.receive(.attemptFinished(.connection(.reset), now: 0, random: 0)) == .wait(until: 0))
        #expect(machine.receive(.waitFinished(now: 0)) == .send(model: Self.opus, attempt: 2))
        #expect(machine.receive(.attemptFinished(.connection(.timedOutBeforeFirstByte), now: 0, random: 0)) == .wait(until: 0))
        #expect(machine.receive(.waitFinished(now: 0)) == .send(model: Self.opus, attempt: 3))
        #expect(
            machine.receive(.attemptFinished(.connection(.connectFailed), now: 0, random: 0))
                == .giveUp(.unreachable(attempts: 3)))
    }

    @Test func aTimeoutAfterTheFirstByteIsNeverRetried() {
        var machine = Self.machine()
        _ = machine.receive(.start(now: 0))
        #expect(
            machine.receive(.attemptFinished(.connection(.timedOutAfterFirstByte), now: 0, random: 0))
                == .giveUp(.unreachable(attempts: 1)))
    }

    @Test(arguments: [400, 401, 403, 404, 413])
    func statusesThatCannotSucceedAreReturnedAtOnce(status: Int) {
        var machine = Self.machine([Self.opus, Self.sonnet])
        _ = machine.receive(.start(now: 0))
        #expect(machine.receive(.attemptFinished(Self.status(status), now: 0, random: 0)) == .finish(model: Self.opus))
    }

    @Test func xShouldRetryIsObeyedBothWays() {
        var refused = Self.machine()
        _ = refused.receive(.start(now: 0))
        let no = RetryHints(header: { $0 == "x-should-retry" ? "false" : nil })
        #expect(refused.receive(.attemptFinished(Self.status(503, no), now: 0, random: 0)) == .finish(model: Self.opus))
        var allowed = Self.machine()
        _ = allowed.receive(.start(now: 0))
        let yes = RetryHints(header: { $0 == "x-should-retry" ? "true" : nil })
        #expect(allowed.receive(.attemptFinished(Self.status(422, yes), now: 0, random: 0)) == .wait(until: 0))
    }

    @Test func aFailureNoRetryMendsGivesUpFailed() {
        var machine = Self.machine([Self.opus, Self.sonnet])
        _ = machine.receive(.start(now: 0))
        #expect(machine.receive(.attemptFinished(.failed, now: 0, random: 0)) == .giveUp(.failed))
    }

    @Test func cancellationWhileWaitingGivesUpCancelledAndEndsTheMachine() {
        var machine = Self.machine()
        _ = machine.receive(.start(now: 0))
        #expect(machine.receive(.attemptFinished(Self.status(429), now: 0, random: .max)) == .wait(until: 500))
        #expect(machine.receive(.cancelled) == .giveUp(.cancelled))
        // Nothing revives a finished machine.
        #expect(machine.receive(.waitFinished(now: 500)) == .giveUp(.failed))
        #expect(machine.attempts == 1)
    }

    @Test func anEventOutOfOrderEndsTheCallInsteadOfTrapping() {
        var machine = Self.machine()
        #expect(machine.receive(.waitFinished(now: 0)) == .giveUp(.failed))
        var empty = DispatchMachine(models: [], policy: Self.policy, deadline: nil)
        #expect(empty.receive(.start(now: 0)) == .giveUp(.failed))
    }

    @Test func a529StormTriesEveryModelInOrderAndStaysBounded() {
        var machine = Self.machine([Self.opus, Self.sonnet, Self.haiku])
        var action = machine.receive(.start(now: 0))
        var sent: [String] = []
        for _ in 0..<100 {
            switch action {
            case .send(let model, _):
                sent.append(model.id)
                action = machine.receive(.attemptFinished(Self.status(529), now: 0, random: 0))
            case .wait(let until):
                action = machine.receive(.waitFinished(now: until))
            case .finish, .giveUp:
                break
            }
            if case .finish = action { break }
        }
        #expect(sent == [Self.opus.id, Self.sonnet.id, Self.haiku.id, Self.haiku.id, Self.haiku.id])
        #expect(action == .finish(model: Self.haiku))
    }
}
