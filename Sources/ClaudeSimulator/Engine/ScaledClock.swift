import Foundation

/// Wall-clock time sped up by a factor: at `timeScale` 60 a 5-minute cache TTL lasts 5 real seconds.
///
/// Simulated time starts at the real time of creation and then advances `timeScale` times faster.
public struct ScaledClock: SimulatorClock {
    private let origin: Double
    private let start: ContinuousClock.Instant
    /// How many simulated seconds pass per real second.
    public let timeScale: Double

    /// A clock running `timeScale` times faster than real time (1 is real time).
    public init(timeScale: Double = 1) {
        self.origin = Date().timeIntervalSince1970
        self.start = ContinuousClock.now
        self.timeScale = timeScale
    }

    /// The current simulated time.
    public func now() -> Double {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return origin + seconds * timeScale
    }
}
