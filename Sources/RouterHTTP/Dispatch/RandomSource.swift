/// Where the dispatcher draws the jitter of its retry backoff.
public protocol RandomSource: Sendable {
    /// A uniformly random 64-bit number.
    func next() -> UInt64
}

/// The system's cryptographically secure generator (`SystemRandomNumberGenerator`).
public struct SystemRandomSource: RandomSource {
    /// Creates the source.
    public init() {}

    public func next() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }
}
