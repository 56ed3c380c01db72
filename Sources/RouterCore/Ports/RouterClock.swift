/// The time source the core reads through, so decisions and tests never touch the real clock directly.
public protocol RouterClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}
