import Synchronization

/// A clock that moves only when told to, for tests of TTLs, refills and batch timing.
///
/// A final class around a `Mutex` because the clock is shared between the test and the simulator.
public final class ManualClock: SimulatorClock {
    private let time: Mutex<Double>

    /// A clock stopped at `start` seconds since 1970 (default 2026-11-28T00:00:00Z).
    public init(start: Double = 1_795_824_000) {
        self.time = Mutex(start)
    }

    /// The time as last set.
    public func now() -> Double { time.withLock { $0 } }

    /// Moves time forward by `seconds`.
    public func advance(by seconds: Double) {
        time.withLock { $0 += seconds }
    }
}
