/// The simulator's source of time, in seconds since 1970: cache TTLs, rate-limit refills and batch
/// processing all read it, so tests can drive it by hand and demos can run it faster than real time.
public protocol SimulatorClock: Sendable {
    /// The current simulated time in seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
    /// Simulated seconds per real second (1 unless the clock is sped up); `retry-after` is divided by it so
    /// clients wait real time.
    var timeScale: Double { get }
}
