import RouterCore
import Synchronization
import Testing

@testable import RouterHTTP

/// Always the lowest jitter: retries wait 0 ms unless the API asked for more.
struct ZeroRandom: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}

struct UpstreamFailure: Error, Equatable {
    var status: Int
}

/// Records the calls a runner makes and answers them from a script.
final class ScriptedUpstream: Sendable {
    let calls = Mutex<[String]>([])
    let script: @Sendable (String, Int) -> AttemptResult<String>

    init(_ script: @escaping @Sendable (String, Int) -> AttemptResult<String>) { self.script = script }

    func call(_ model: String, _ number: Int) -> AttemptResult<String> {
        calls.withLock { $0.append("\(model)#\(number)") }
        return script(model, number)
    }

    var log: [String] { calls.withLock { $0 } }

    static func failure(_ status: Int, _ hints: RetryHints = RetryHints()) -> AttemptResult<String> {
        .failure(.response(status: status, hints: hints), clientHasBytes: false, error: UpstreamFailure(status: status))
    }
}

@Suite struct DispatchRetryRunnerTests {
    static let runner = RetryRunner(policy: RetryPolicy(maxAttempts: 3), clock: ManualClock())

    @Test func retriesA500UntilItSucceeds() async throws {
        let upstream = ScriptedUpstream { _, number in number < 3 ? ScriptedUpstream.failure(500) : .success("ok") }
        var random = ZeroRandom()
        let value = try await Self.runner.run(model: "opus", fallback: { _ in nil }, random: &random) {
            upstream.call($0, $1)
        }
        #expect(value == "ok")
        #expect(upstream.log == ["opus#1", "opus#2", "opus#3"])
    }

    @Test func givesUpOnA400WithItsError() async throws {
        let upstream = ScriptedUpstream { _, _ in ScriptedUpstream.failure(400) }
        await #expect(throws: UpstreamFailure(status: 400)) {
            var random = ZeroRandom()
            return try await Self.runner.run(model: "opus", fallback: { _ in "sonnet" }, random: &random) {
                upstream.call($0, $1)
            }
        }
        #expect(upstream.log == ["opus#1"])
    }

    @Test func anOverloadedModelFallsBackAtOnce() async throws {
        let upstream = ScriptedUpstream { model, _ in model == "opus" ? ScriptedUpstream.failure(529) : .success(model)
        }
        var random = ZeroRandom()
        var steps: [RetryRunner<ManualClock>.Step] = []
        let value = try await Self.runner.run(
            model: "opus", fallback: { $0 == "opus" ? "sonnet" : nil }, random: &random, onStep: { steps.append($0) }
        ) { upstream.call($0, $1) }
        #expect(value == "sonnet")
        #expect(upstream.log == ["opus#1", "sonnet#1"])
        #expect(steps.map(\.decision) == [.fallback(to: "sonnet")])
    }

    @Test func aFallbackChainCannotLoop() async throws {
        let upstream = ScriptedUpstream { _, _ in ScriptedUpstream.failure(529) }
        await #expect(throws: UpstreamFailure(status: 529)) {
            var random = ZeroRandom()
            return try await Self.runner.run(
                model: "a", fallback: { $0 == "a" ? "b" : "a" }, random: &random
            ) { upstream.call($0, $1) }
        }
        #expect(upstream.log == ["a#1", "b#1", "b#2", "b#3"])
    }

    @Test func theRetryWaitsForTheAPIsRetryAfterOnTheClock() async throws {
        let clock = ManualClock()
        let runner = RetryRunner(policy: RetryPolicy(), clock: clock)
        let upstream = ScriptedUpstream { _, number in
            number == 1 ? ScriptedUpstream.failure(429, RetryHints(retryAfterMillis: 2_000)) : .success("ok")
        }
        let task = Task {
            var random = ZeroRandom()
            return try await runner.run(model: "opus", fallback: { _ in nil }, random: &random) {
                upstream.call($0, $1)
            }
        }
        await clock.waitForSleepers(1)
        #expect(upstream.log == ["opus#1"])
        clock.advance(by: .milliseconds(1_999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        #expect(try await task.value == "ok")
        #expect(upstream.log == ["opus#1", "opus#2"])
    }

    @Test func aStreamThatReachedTheClientIsNotRetried() async throws {
        let upstream = ScriptedUpstream { _, _ in
            .failure(.connection(.reset), clientHasBytes: true, error: UpstreamFailure(status: 0))
        }
        await #expect(throws: UpstreamFailure(status: 0)) {
            var random = ZeroRandom()
            return try await Self.runner.run(model: "opus", fallback: { _ in nil }, random: &random) {
                upstream.call($0, $1)
            }
        }
        #expect(upstream.log == ["opus#1"])
    }
}
