public import RouterCore

/// The time the dispatcher reads and sleeps on: its retries' backoff and the request's deadline.
public protocol DispatchClock: Sendable {
    /// Milliseconds on the deadlines' timeline (the Unix epoch in the service).
    func nowMillis() -> Int64
    /// Returns once `nowMillis()` has reached `millis` (at once if it has).
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(untilMillis millis: Int64) async throws
}

/// The service's dispatch clock: reads the router's clock, sleeps on the monotonic `ContinuousClock` (a wall-clock
/// step during a backoff neither shortens nor stretches it).
public struct ContinuousDispatchClock: DispatchClock {
    let wall: any RouterClock

    /// Creates the clock.
    /// - Parameter wall: the clock deadlines are given on (the service's `RouterClock`).
    public init(wall: any RouterClock) {
        self.wall = wall
    }

    public func nowMillis() -> Int64 { wall.nowMillis() }

    public func sleep(untilMillis millis: Int64) async throws {
        let wait = millis - wall.nowMillis()
        guard wait > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(until: ContinuousClock.now.advanced(by: .milliseconds(wait)), clock: .continuous)
    }
}
