import RouterCore
import Synchronization
import Testing

@testable import RouterHTTP

/// A clock that moves only when a test says so, and lets the test wait until something sleeps on it.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, watchers) = state.withLock {
                    state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    if state.cancelled.remove(id) != nil { return (.failure(CancellationError()), []) }
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, Self.satisfiedWatchers(&state))
                }
                for watcher in watchers { watcher.resume() }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Sleepers currently waiting.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until at least `count` sleepers wait on the clock.
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func satisfiedWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
        state.watchers.removeAll { $0.count <= count }
        return ready
    }
}

@Suite struct DispatchLaneTests {
    /// One request per second, tokens unpaced.
    static func lane(
        clock: ManualClock, interactive: Int = 10, background: Int = 10, limits: RateLimitConfig? = nil
    ) -> ModelLane<ManualClock> {
        ModelLane(
            bucket: "sonnet",
            limits: limits
                ?? RateLimitConfig(requestsPerMinute: 60, inputTokensPerMinute: nil, outputTokensPerMinute: nil),
            admission: AdmissionConfig(interactiveCapacity: interactive, backgroundCapacity: background),
            clock: clock)
    }

    static func drain(_ lane: ModelLane<ManualClock>) async throws {
        for _ in 0..<60 { _ = try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1) }
    }

    @Test func grantsAtOnceWhenThereIsHeadroom() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock)
        let reservation = try await lane.acquire(priority: .interactive, input: 10, maxOutput: 20)
        #expect(reservation == Reservation(inputTokens: 10, outputTokens: 20, grantedAt: 0))
        #expect(clock.sleeperCount == 0)
    }

    @Test func aWaiterIsResumedWhenTimeRefillsTheBucket() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock)
        try await Self.drain(lane)
        let waiter = Task { try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1) }
        await clock.waitForSleepers(1)
        #expect(lane.snapshot().interactiveDepth == 1)
        clock.advance(by: .seconds(1))
        let reservation = try await waiter.value
        #expect(reservation.grantedAt == 1_000)
        #expect(lane.snapshot().interactiveDepth == 0)
    }

    @Test func aFullQueueIsRefusedAtOnceWithRetryAfter() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock, interactive: 0)
        try await Self.drain(lane)
        await #expect(throws: AdmissionRefusal(code: .queueFull, retryAfterSeconds: 1, bucket: "sonnet")) {
            try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1)
        }
    }

    @Test func aDeadlineTheWaitCannotMeetIsRefusedAtOnce() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock)
        lane.observe(RateLimitObservation(retryAfterMillis: 10_000))
        let deadline = clock.now.advanced(by: .seconds(2))
        await #expect(throws: AdmissionRefusal(code: .deadlineUnreachable, retryAfterSeconds: 10, bucket: "sonnet")) {
            try await lane.acquire(priority: .interactive, deadline: deadline, input: 1, maxOutput: 1)
        }
    }

    @Test func cancellingAWaiterRemovesItFromTheQueue() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock)
        try await Self.drain(lane)
        let waiter = Task { try await lane.acquire(priority: .background, input: 1, maxOutput: 1) }
        await clock.waitForSleepers(1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(lane.snapshot().backgroundDepth == 0)
    }

    @Test func returnedTokensWakeAWaiterWithoutWaitingForTime() async throws {
        let clock = ManualClock()
        let lane = Self.lane(
            clock: clock,
            limits: RateLimitConfig(requestsPerMinute: nil, inputTokensPerMinute: nil, outputTokensPerMinute: 6_000))
        let big = try await lane.acquire(priority: .interactive, input: 0, maxOutput: 6_000)
        let waiter = Task { try await lane.acquire(priority: .interactive, input: 0, maxOutput: 1_000) }
        await clock.waitForSleepers(1)
        lane.complete(big, usage: TokenUsage(output: 100))
        let reservation = try await waiter.value
        #expect(reservation.grantedAt == 0)
    }

    @Test func interactiveWaitersAreServedBeforeBackgroundOnes() async throws {
        let clock = ManualClock()
        let lane = Self.lane(clock: clock)
        try await Self.drain(lane)
        let background = Task { try await lane.acquire(priority: .background, input: 1, maxOutput: 1) }
        await clock.waitForSleepers(1)
        let interactive = Task { try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1) }
        // Bounded: the interactive task only has to reach the queue.
        for _ in 0..<100_000 where lane.snapshot().interactiveDepth == 0 { await Task.yield() }
        #expect(lane.snapshot().interactiveDepth == 1)
        clock.advance(by: .seconds(1))
        #expect(try await interactive.value.grantedAt == 1_000)
        #expect(lane.snapshot().backgroundDepth == 1)
        background.cancel()
        _ = await background.result
    }

    @Test func aPacerSharesOneLanePerBucket() {
        let pacer = Pacer(
            limits: ["opus-4": RateLimitConfig(), "sonnet-4": RateLimitConfig()], clock: ManualClock())
        #expect(pacer.lane(for: "opus-4") === pacer.lane(for: "opus-4"))
        _ = pacer.lane(for: "sonnet-4")
        #expect(pacer.snapshots().map(\.bucket) == ["opus-4", "sonnet-4"])
        #expect(pacer.snapshots().first?.headroom.requests == 1_000)
    }
}
