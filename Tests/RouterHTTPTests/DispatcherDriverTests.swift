import HTTPTypes
import Logging
import RouterCore
import Synchronization
import Testing

@testable import RouterHTTP

/// A dispatch clock that moves only when the dispatcher sleeps on it: a sleep jumps straight to its end (and is
/// recorded), so retries run instantly and their waits are read off the clock, never measured.
final class ManualDispatchClock: DispatchClock {
    struct State {
        var now: Int64
        var sleeps: [Int64] = []
    }

    private let state: Mutex<State>
    /// Every sleep throws `CancellationError`, as a cancelled task's would.
    let cancelsSleeps: Bool

    init(now: Int64, cancelsSleeps: Bool = false) {
        self.state = Mutex(State(now: now))
        self.cancelsSleeps = cancelsSleeps
    }

    var sleeps: [Int64] { state.withLock { $0.sleeps } }

    func nowMillis() -> Int64 { state.withLock { $0.now } }

    func sleep(untilMillis millis: Int64) async throws {
        if cancelsSleeps { throw CancellationError() }
        state.withLock { state in
            state.sleeps.append(millis)
            state.now = max(state.now, millis)
        }
    }
}

/// Always the same draw: 0 is the shortest jitter (no wait), `.max` the longest.
struct FixedRandomSource: RandomSource {
    var value: UInt64
    func next() -> UInt64 { value }
}

/// Answers each call with the next scripted reply and records which model each call was for.
final class ScriptedUpstream: UpstreamTransport {
    enum Step: Sendable {
        case reply(status: Int, headers: [(name: String, value: String)], body: String)
        case fail(UpstreamTransportError)
    }

    private let state: Mutex<(steps: [Step], models: [String])>

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var models: [String] { state.withLock { $0.models } }

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let step = state.withLock { state -> Step? in
            state.models.append(call.headers.first { $0.name == "x-test-model" }?.value ?? "")
            return state.steps.isEmpty ? nil : state.steps.removeFirst()
        }
        switch step {
        case .reply(let status, let headers, let body)?:
            let bytes = Array(body.utf8)
            return UpstreamReply(
                status: status, headers: headers,
                body: AsyncThrowingStream { continuation in
                    continuation.yield(bytes)
                    continuation.finish()
                })
        case .fail(let error)?:
            throw error
        case nil:
            throw UpstreamTransportError(kind: .other, message: "the script ran out")
        }
    }
}

/// A pacer that grants at once and logs every grant and settlement, so a test sees each reservation settled once.
final class RecordingPacing: Pacing {
    private let log = Mutex<[String]>([])

    var events: [String] { log.withLock { $0 } }

    func acquire(
        bucket: String, priority: AdmissionQueue.Priority, deadlineMillis: Int64?, input: Int64, maxOutput: Int64
    ) async throws -> Reservation {
        log.withLock { $0.append("acquire \(bucket)") }
        return Reservation(inputTokens: input, outputTokens: maxOutput, grantedAt: 0)
    }

    func settle(bucket: String, reservation: Reservation, usage: TokenUsage?, requestSent: Bool) {
        let what = usage.map { "settle \(bucket) output=\($0.output)" } ?? "release \(bucket) sent=\(requestSent)"
        log.withLock { $0.append(what) }
    }

    func observe(bucket: String, status: Int, header: (String) -> String?) {}
}

/// The real `Dispatcher` driving `DispatchMachine` against a scripted upstream, on a manual clock.
@Suite struct DispatcherDriverTests {
    static func model(_ id: String, tier: Tier) -> ModelSpec {
        ModelSpec(
            id: id, tier: tier, contextWindow: 200_000, maxOutputTokens: 32_000, minCacheableTokens: 1_024,
            rateLimitBucket: "bucket-" + id, prices: [])
    }

    static let opus = model("claude-opus-4-6", tier: .opus)
    static let sonnet = model("claude-sonnet-4-6", tier: .sonnet)
    static let start: Int64 = 1_700_000_000_000
    static let ok = ScriptedUpstream.Step.reply(
        status: 200, headers: [("request-id", "req_ok")], body: #"{"type":"message"}"#)

    static func error(_ status: Int, _ type: String, headers: [(name: String, value: String)] = []) -> ScriptedUpstream.Step {
        .reply(status: status, headers: headers, body: #"{"type":"error","error":{"type":"\#(type)","message":"x"}}"#)
    }

    /// The fallbacks the dispatcher reported, as `from>to`.
    final class FallbackLog: Sendable {
        let moves = Mutex<[String]>([])
        func withLock<R>(_ body: (inout [String]) -> R) -> R { moves.withLock { body(&$0) } }
    }

    final class Run: Sendable {
        let transport: ScriptedUpstream
        let pacing: RecordingPacing
        let clock: ManualDispatchClock
        let fallbacks: FallbackLog
        let dispatcher: Dispatcher

        init(_ steps: [ScriptedUpstream.Step], cancelsSleeps: Bool = false, random: UInt64 = 0) {
            let transport = ScriptedUpstream(steps)
            let clock = ManualDispatchClock(now: DispatcherDriverTests.start, cancelsSleeps: cancelsSleeps)
            let pacing = RecordingPacing()
            let fallbacks = FallbackLog()
            self.pacing = pacing
            self.fallbacks = fallbacks
            self.transport = transport
            self.clock = clock
            dispatcher = Dispatcher(
                transport: transport, pacing: pacing, clock: clock, random: FixedRandomSource(value: random),
                logger: Logger(label: "test"), onFallback: { from, to in fallbacks.withLock { $0.append("\(from)>\(to)") } })
        }

        func dispatch(
            _ models: [ModelSpec], deadline: Int64? = nil, maxAttempts: Int = 3
        ) async throws(RouterHTTPError) -> Dispatcher.Dispatched {
            var policy = (try? ServiceHarness.policy())!
            policy.limits.retries = RetryPolicy(maxAttempts: maxAttempts, baseBackoffMillis: 500, maxBackoffMillis: 8_000)
            return try await dispatcher.dispatch(
                models: models, policy: policy, priority: .interactive, deadlineMillis: deadline, estimatedInput: 100,
                maxOutput: 1_000
            ) { model in
                UpstreamCall(method: "POST", path: "/v1/messages", headers: [("x-test-model", model.id)])
            }
        }
    }

    @Test func a429IsRetriedAfterItsRetryAfterThenA529FallsBackToTheNextModel() async throws {
        let run = Run([
            Self.error(429, "rate_limit_error", headers: [("retry-after", "2")]), Self.error(529, "overloaded_error"),
            Self.ok,
        ])
        let dispatched = try await run.dispatch([Self.opus, Self.sonnet])
        let outcome = dispatched.outcome
        #expect(run.transport.models == [Self.opus.id, Self.opus.id, Self.sonnet.id])
        // The API asked for 2 s; the jitter (draw 0) asked for none: the dispatcher slept exactly until then, once.
        #expect(run.clock.sleeps == [Self.start + 2_000])
        #expect(run.fallbacks.withLock { $0 } == ["\(Self.opus.id)>\(Self.sonnet.id)"])
        #expect(outcome.model == Self.sonnet)
        #expect(outcome.bucket == Self.sonnet.rateLimitBucket)
        #expect(outcome.reply.status == 200)
        #expect(outcome.attempts.map { $0.status } == [429, 529, 200])
        #expect(outcome.attempts.map { $0.errorType } == ["rate_limit_error", "overloaded_error", nil])
        // The two failed attempts gave their reservations back; the reply's is the caller's to settle.
        let opusBucket = Self.opus.rateLimitBucket
        let sonnetBucket = Self.sonnet.rateLimitBucket
        #expect(
            run.pacing.events == [
                "acquire \(opusBucket)", "release \(opusBucket) sent=true", "acquire \(opusBucket)",
                "release \(opusBucket) sent=true", "acquire \(sonnetBucket)",
            ])
        dispatched.takeLease().settle(usage: TokenUsage(input: 100, output: 42))
        #expect(run.pacing.events.last == "settle \(sonnetBucket) output=42")
    }

    @Test func aRetryAfterPastTheDeadlineReturnsTheAPIErrorWithoutWaiting() async throws {
        let run = Run([Self.error(429, "rate_limit_error", headers: [("retry-after", "30")])])
        let dispatched = try await run.dispatch([Self.opus], deadline: Self.start + 5_000)
        #expect(dispatched.outcome.reply.status == 429)
        #expect(run.clock.sleeps.isEmpty)
        #expect(run.transport.models == [Self.opus.id])
        // The error's body is handed back as the API gave it.
        let body = try await dispatched.outcome.reply.collectBody(upTo: 1 << 16)
        #expect(String(decoding: body, as: UTF8.self).contains("rate_limit_error"))
        dispatched.takeLease().release(requestSent: true)
        #expect(run.pacing.events == ["acquire \(Self.opus.rateLimitBucket)", "release \(Self.opus.rateLimitBucket) sent=true"])
    }

    @Test func connectionFailuresExhaustTheRetriesAndEndIn502() async throws {
        let refused = ScriptedUpstream.Step.fail(UpstreamTransportError(kind: .connectFailed, message: "refused"))
        let run = Run([refused, refused, refused, Self.ok], random: UInt64.max)
        do throws(RouterHTTPError) {
            _ = try await run.dispatch([Self.opus, Self.sonnet])
            Issue.record("dispatch succeeded")
        } catch {
            #expect(error.status.code == 502)
            #expect(error.message == "the upstream could not be reached (connectFailed) after 3 attempts")
        }
        // Full jitter at the highest draw: 500 ms, then 1 s; no fallback (the same host serves every model).
        #expect(run.clock.sleeps == [Self.start + 500, Self.start + 1_500])
        #expect(run.transport.models == [Self.opus.id, Self.opus.id, Self.opus.id])
        let bucket = Self.opus.rateLimitBucket
        #expect(run.pacing.events == Array(repeating: ["acquire \(bucket)", "release \(bucket) sent=false"], count: 3).flatMap { $0 })
    }

    @Test func cancellationDuringTheBackoffEndsTheCallAndReleasesTheReservation() async throws {
        let run = Run([Self.error(503, "api_error"), Self.ok], cancelsSleeps: true)
        do throws(RouterHTTPError) {
            _ = try await run.dispatch([Self.opus])
            Issue.record("dispatch succeeded")
        } catch {
            #expect(error.message == "request cancelled")
        }
        #expect(run.transport.models == [Self.opus.id])
        let bucket = Self.opus.rateLimitBucket
        #expect(run.pacing.events == ["acquire \(bucket)", "release \(bucket) sent=true"])
    }

    @Test func aFailureNoRetryMendsEndsIn502WithItsMessage() async throws {
        let run = Run([.fail(UpstreamTransportError(kind: .tls, message: "bad certificate")), Self.ok])
        do throws(RouterHTTPError) {
            _ = try await run.dispatch([Self.opus, Self.sonnet])
            Issue.record("dispatch succeeded")
        } catch {
            #expect(error.status.code == 502)
            #expect(error.message == "upstream failure: bad certificate")
        }
        #expect(run.transport.models == [Self.opus.id])
    }

    @Test func aLeaseDroppedUnsettledReleasesItsReservationOnce() async throws {
        let run = Run([Self.ok])
        do {
            let dispatched = try await run.dispatch([Self.opus])
            #expect(dispatched.outcome.reply.status == 200)
        }
        let bucket = Self.opus.rateLimitBucket
        #expect(run.pacing.events == ["acquire \(bucket)", "release \(bucket) sent=true"])
    }
}
