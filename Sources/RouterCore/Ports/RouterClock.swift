#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time source the core reads through, so decisions and tests never touch the real clock directly.
public protocol RouterClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}

/// The wall clock: what the service and the ledger use outside tests.
public struct SystemClock: RouterClock {
    /// Creates the system clock.
    public init() {}

    /// Milliseconds since the Unix epoch, from the system's real-time clock.
    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
