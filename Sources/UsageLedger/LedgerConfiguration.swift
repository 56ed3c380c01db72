import Foundation
public import RouterCore

/// How a `Ledger` batches and paces its writes. Built once by the executable and passed in.
public struct LedgerConfiguration: Sendable {
    /// How long the writer gathers rows before committing them in one transaction. `.zero` is synchronous:
    /// `record` returns only once its row is committed (concurrent callers still share one commit).
    ///
    /// After a crash (kill -9, power is another matter: see `docs/ledger.md`) at most this much is missing.
    public var commitInterval: Duration
    /// How many rows may wait for the writer; when the queue is full `record` suspends until there is room.
    public var queueCapacity: Int
    /// How long the writer waits before retrying a failed commit (disk full, database busy).
    public var retryDelay: Duration
    /// The clock that says which UTC day and month the budget totals are for.
    public var clock: any RouterClock

    /// Creates a configuration; the defaults suit the service (100 ms, 10,000 rows, 1 s, the system clock).
    public init(
        commitInterval: Duration = .milliseconds(100), queueCapacity: Int = 10_000, retryDelay: Duration = .seconds(1),
        clock: any RouterClock = SystemClock()
    ) {
        self.commitInterval = commitInterval
        self.queueCapacity = max(1, queueCapacity)
        self.retryDelay = retryDelay
        self.clock = clock
    }

    /// Synchronous commits: every `record` returns after its row is durable.
    public static var synchronous: LedgerConfiguration { LedgerConfiguration(commitInterval: .zero) }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`, for `NSCondition.wait(until:)`.
    package var timeInterval: Double {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
