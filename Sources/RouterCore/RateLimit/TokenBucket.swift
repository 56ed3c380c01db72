/// One continuously refilling token bucket whose capacity is its per-minute limit, in exact integer arithmetic.
///
/// The level is kept in units of 1/60,000 of a token, so one millisecond of refill adds exactly `limit` units
/// and no rounding ever accumulates. The level may go below zero: a request that used more than it reserved
/// leaves a debt that refill pays back before anything else is granted, as the API's own bucket does.
public struct TokenBucket: Sendable, Hashable {
    /// Units per token: milliseconds per minute.
    static let scale: Int64 = 60_000

    /// The capacity and the per-minute refill, in tokens.
    public private(set) var limit: Int64
    /// The level in 1/60,000 tokens at `updatedAt`.
    private(set) var scaledLevel: Int64
    /// The time of the last refill, in milliseconds on the caller's timeline.
    private(set) var updatedAt: Int64

    /// Creates a full bucket.
    /// - Parameters:
    ///   - limit: tokens per minute, also the capacity; values below 1 are treated as 1.
    ///   - now: the current time in milliseconds.
    public init(limit: Int64, now: Int64) {
        self.limit = max(1, limit)
        self.scaledLevel = self.limit * Self.scale
        self.updatedAt = now
    }

    private var scaledCapacity: Int64 { limit * Self.scale }

    /// Adds the refill earned since the last update. Time never runs backwards here: an earlier `now` is ignored.
    mutating func refill(now: Int64) {
        guard now > updatedAt else { return }
        let elapsed = now - updatedAt
        updatedAt = now
        let room = scaledCapacity - scaledLevel
        guard room > 0 else { return }
        // Compare before multiplying so a long idle gap cannot overflow.
        if elapsed >= room / limit + 1 {
            scaledLevel = scaledCapacity
        } else {
            scaledLevel = min(scaledCapacity, scaledLevel + elapsed * limit)
        }
    }

    /// Whole tokens available at `now` (negative while in debt).
    public func available(now: Int64) -> Int64 {
        var copy = self
        copy.refill(now: now)
        return copy.scaledLevel >= 0
            ? copy.scaledLevel / Self.scale : -((-copy.scaledLevel + Self.scale - 1) / Self.scale)
    }

    /// Milliseconds from `now` until `amount` tokens are available (0 when they already are).
    /// `amount` is clamped to the capacity, so the answer is always finite.
    public func millisUntilAvailable(_ amount: Int64, now: Int64) -> Int64 {
        var copy = self
        copy.refill(now: now)
        let needed = min(max(0, amount), limit) * Self.scale
        let deficit = needed - copy.scaledLevel
        guard deficit > 0 else { return 0 }
        return (deficit + limit - 1) / limit
    }

    /// Milliseconds from `now` until the refill has covered `total` tokens of demand (0 when the level already
    /// does). Unlike `millisUntilAvailable(_:now:)` the total is not clamped: it estimates how long a whole queue
    /// takes to drain at this bucket's rate.
    public func millisToServe(_ total: Int64, now: Int64) -> Int64 {
        var copy = self
        copy.refill(now: now)
        let (needed, overflow) = max(0, total).multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { return Int64.max / 4 }
        let deficit = needed - copy.scaledLevel
        guard deficit > 0 else { return 0 }
        return (deficit + limit - 1) / limit
    }

    /// Removes `amount` tokens (clamped to the capacity), possibly into debt.
    mutating func take(_ amount: Int64, now: Int64) {
        refill(now: now)
        scaledLevel -= min(max(0, amount), limit) * Self.scale
    }

    /// Adds back `amount` tokens (negative to charge more), never above the capacity.
    mutating func adjust(by amount: Int64, now: Int64) {
        refill(now: now)
        // A debt deeper than a few minutes of refill means the estimate was absurd; bounding it keeps the
        // arithmetic far from overflow and the bucket recoverable.
        let delta = max(-limit * 4, min(limit, amount)) * Self.scale
        scaledLevel = min(scaledCapacity, scaledLevel + delta)
    }

    /// Lowers the level to at most `tokens`; never raises it.
    mutating func lower(toAtMost tokens: Int64, now: Int64) {
        refill(now: now)
        scaledLevel = min(scaledLevel, tokens * Self.scale)
    }

    /// Replaces the limit (capacity and refill rate), keeping the level but not above the new capacity.
    mutating func setLimit(_ newLimit: Int64, now: Int64) {
        refill(now: now)
        limit = max(1, newLimit)
        scaledLevel = min(scaledLevel, scaledCapacity)
    }
}
