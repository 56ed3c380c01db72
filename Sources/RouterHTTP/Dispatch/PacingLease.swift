public import RouterCore
import Synchronization

/// A rate-limit reservation granted by the pacer, held until the call's usage is known.
///
/// Non-copyable, and settled only by consuming it, so the compiler rejects settling one reservation twice or
/// keeping a copy after settling: `settle(usage:)` when the call's usage is known (the API's, or an estimate of a
/// billed call whose usage was lost), `release(requestSent:)` when it produced none. A lease dropped without either
/// (a path that throws, a task cancelled mid-stream) releases itself in its `deinit` as if the request had been sent,
/// so the bucket never loses the headroom for good.
public struct PacingLease: ~Copyable, Sendable {
    /// The bucket the reservation was taken from.
    public let bucket: String
    /// What was reserved.
    public let reservation: Reservation
    private let pacing: any Pacing
    private var settled = false

    /// Wraps a reservation `pacing` granted in `bucket`.
    public init(pacing: any Pacing, bucket: String, reservation: Reservation) {
        self.pacing = pacing
        self.bucket = bucket
        self.reservation = reservation
    }

    /// Settles the reservation with the usage the call was billed for, giving back what it did not use.
    public consuming func settle(usage: TokenUsage) {
        pacing.settle(bucket: bucket, reservation: reservation, usage: usage, requestSent: true)
        settled = true
    }

    /// Gives the whole reservation back: the call produced no usage.
    /// - Parameter requestSent: whether the request reached the API (its RPM slot then stays spent).
    public consuming func release(requestSent: Bool) {
        pacing.settle(bucket: bucket, reservation: reservation, usage: nil, requestSent: requestSent)
        settled = true
    }

    deinit {
        if !settled { pacing.settle(bucket: bucket, reservation: reservation, usage: nil, requestSent: true) }
    }
}

/// A lease handed to code that runs later and may not run at all (a streamed response body): settled at most once,
/// by the first call; released as sent if it is dropped unsettled.
final class SharedPacingLease: Sendable {
    private let slot: Mutex<PacingLease?>

    init(_ lease: consuming PacingLease) {
        slot = Mutex(Optional(lease))
    }

    /// Settles the lease with `usage`, unless it already was.
    func settle(usage: TokenUsage) {
        let lease = slot.withLock { $0.take() }
        if let lease { lease.settle(usage: usage) }
    }
}
