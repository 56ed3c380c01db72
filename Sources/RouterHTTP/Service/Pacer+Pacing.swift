import Foundation
public import RouterCore

extension Pacer: Pacing, ReconfigurablePacing where C == ContinuousClock {
    public func acquire(
        bucket: String, priority: AdmissionQueue.Priority, deadlineMillis: Int64?, input: Int64, maxOutput: Int64
    ) async throws -> Reservation {
        // Deadlines arrive as wall-clock milliseconds; the lanes sleep on the monotonic clock.
        let deadline = deadlineMillis.map { millis -> ContinuousClock.Instant in
            let wallNow = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            return ContinuousClock.now.advanced(by: .milliseconds(millis - wallNow))
        }
        return try await lane(for: bucket).acquire(priority: priority, deadline: deadline, input: input, maxOutput: maxOutput)
    }

    public func settle(bucket: String, reservation: Reservation, usage: TokenUsage?, requestSent: Bool) {
        if let usage {
            lane(for: bucket).complete(reservation, usage: usage)
        } else {
            lane(for: bucket).release(reservation, requestSent: requestSent)
        }
    }

    public func observe(bucket: String, status: Int, header: (String) -> String?) {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        lane(for: bucket).observe(RateLimitObservation(status: status, receivedAtUnixMillis: now, header: header))
    }

    public func laneSnapshots() -> [LaneSnapshot] { snapshots() }
}
