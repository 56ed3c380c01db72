public import ClaudeAPI
/// How many cache hits a breakpoint at one boundary should earn, per TTL: the planner's model of reuse.
///
/// Every rate below is the request's client's own count shrunk towards all clients' rate by two
/// pseudo-observations, and all clients' towards a fixed prior the same way, so a new client borrows what
/// the others showed and has its own rate after a handful of requests.
///
/// - A prefix seen once: the hits that writes at second sightings of its kind really earned, per second
///   sighting (the prior, half a hit, pays a 5m write: a prefix that comes back is worth writing until the
///   kind shows otherwise).
/// - A prefix seen more often: reuse is a chain. An entry written now is hit by the next sighting if it comes
///   within the TTL, and each hit refreshes the TTL. With `p = P(another sighting) × P(gap ≤ TTL)`, the
///   expected number of hits is p + p² + … = p/(1−p). P(another sighting) is the prefix's own record shrunk
///   towards its kind's continuation; P(gap ≤ TTL) its own gaps, including the one that ends now, shrunk
///   towards its kind's.
/// - A prefix never seen: the hits that first-sighting writes of new prefixes of its kind really earned
///   (counted by the table while their sightings kept coming within the TTL), per new prefix. The prior is an
///   eighth of a hit, under the 5m break-even, so the planner never speculates on what it has not seen pay.
public struct ReuseEstimate: Sendable, Hashable {
    /// Expected hits with a 5-minute TTL, in thousandths.
    public var hits5mMilli: Int
    /// Expected hits with a 1-hour TTL, in thousandths.
    public var hits1hMilli: Int
    /// The probability of a first hit within 5 minutes, in thousandths (for the reasons).
    public var first5mMilli: Int
    /// The probability of a first hit within 1 hour, in thousandths (for the reasons).
    public var first1hMilli: Int

    /// The most hits one write is credited with, so that a hot prefix cannot dominate every other choice.
    public static let maxHits = 20.0

    /// Creates an estimate from explicit numbers (the oracle of the replay benchmark uses this).
    public init(hits5mMilli: Int, hits1hMilli: Int, first5mMilli: Int = 0, first1hMilli: Int = 0) {
        self.hits5mMilli = hits5mMilli
        self.hits1hMilli = hits1hMilli
        self.first5mMilli = first5mMilli
        self.first1hMilli = first1hMilli
    }

    /// Estimates from a prefix's record and its kind's rates (computed once per kind and request).
    init(prefix: PrefixObservation, rates: KindStatistics.Rates, nowMillis: Int64) {
        func chain(_ p: Double) -> Double { min(Self.maxHits, p / max(1e-9, 1 - p)) }
        let hits5m: Double
        let hits1h: Double
        if prefix.rawSightings == 1 {
            // Seen once: what writes at second sightings of this kind earned.
            hits5m = min(Self.maxHits, rates.secondHits5m)
            hits1h = min(Self.maxHits, rates.secondHits1h)
        } else if prefix.sightings > 0 || prefix.lastSeenMillis > 0 {
            let followed = max(0, prefix.sightings - 1)
            let again = (followed + 2 * rates.continuation) / (followed + 2)
            // The gap that ends with this request is known now: count it.
            let gap = nowMillis - prefix.lastSeenMillis
            let gaps = prefix.gaps + 1
            let within5m = prefix.gapsWithin5m + (gap <= CacheTTL.fiveMinutes.millis ? 1 : 0)
            let within1h = prefix.gapsWithin1h + (gap <= CacheTTL.oneHour.millis ? 1 : 0)
            hits5m = chain(again * (within5m + 2 * rates.within5m) / (gaps + 2))
            hits1h = chain(again * (within1h + 2 * rates.within1h) / (gaps + 2))
        } else {
            hits5m = min(Self.maxHits, rates.newHits5m)
            hits1h = min(Self.maxHits, rates.newHits1h)
        }
        self.init(
            hits5mMilli: Self.milli(hits5m), hits1hMilli: Self.milli(hits1h), first5mMilli: Self.milli(rates.first5m),
            first1hMilli: Self.milli(rates.first1h))
    }

    /// A non-negative quantity in thousandths, rounded half up (the same as `rounded()` for these; without the
    /// C library call `rounded()` makes on the baseline x86-64 target).
    @inline(__always)
    static func milli(_ x: Double) -> Int { Int(x * 1000 + 0.5) }

    /// Expected hits for a TTL, in thousandths.
    public func hitsMilli(_ ttl: CacheTTL) -> Int { ttl == .oneHour ? hits1hMilli : hits5mMilli }
}
