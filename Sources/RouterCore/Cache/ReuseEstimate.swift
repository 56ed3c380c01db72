public import ClaudeAPI
/// How many cache hits a breakpoint at one boundary should earn, per TTL: the planner's model of reuse.
///
/// Reuse is a chain: an entry written now is hit by the next sighting if it comes within the TTL, and each hit
/// refreshes the TTL, so the chain goes on while sightings keep coming within the TTL. With `p` the probability
/// that the next sighting comes at all and within the TTL, the expected number of hits is p + p² + … = p/(1−p).
///
/// - A prefix seen before: `p = P(another sighting) × P(gap ≤ TTL)`. Both are the prefix's own record shrunk
///   towards its kind's (two pseudo-observations): a prefix seen often is likely to be seen again, and its own
///   gaps, including the one that ends now, say which TTL its reuse fits.
/// - A prefix never seen: the share of new prefixes of its kind (say, conversation ends) that were seen again
///   within the TTL, times the chain that follows a first reuse.
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

    /// Estimates from what the table observed, at `nowMillis`.
    public init(prefix: PrefixObservation, kind: KindObservation, nowMillis: Int64) {
        let continuation = (kind.resightingsFollowed + 1) / (kind.resightings + 2)
        let kind5m = (kind.gapsWithin5m + 1) / (kind.gaps + 2)
        let kind1h = (kind.gapsWithin1h + 1) / (kind.gaps + 2)
        func chain(_ p: Double) -> Double { min(Self.maxHits, p / max(1e-9, 1 - p)) }
        let p5m: Double
        let p1h: Double
        let hits5m: Double
        let hits1h: Double
        if prefix.sightings > 0 || prefix.lastSeenMillis > 0 {
            let followed = max(0, prefix.sightings - 1)
            let again = (followed + 2 * continuation) / (followed + 2)
            // The gap that ends with this request is known now: count it.
            let gap = nowMillis - prefix.lastSeenMillis
            let gaps = prefix.gaps + 1
            let within5m = prefix.gapsWithin5m + (gap <= CacheTTL.fiveMinutes.millis ? 1 : 0)
            let within1h = prefix.gapsWithin1h + (gap <= CacheTTL.oneHour.millis ? 1 : 0)
            p5m = again * (within5m + 2 * kind5m) / (gaps + 2)
            p1h = again * (within1h + 2 * kind1h) / (gaps + 2)
            hits5m = chain(p5m)
            hits1h = chain(p1h)
        } else {
            // A quarter of a reuse in two pseudo-observations: with nothing learned yet, no new prefix is worth a
            // write (0.125 < the 5m break-even of 0.28), so the planner never speculates on a cold table.
            p5m = (kind.firstReusesWithin5m + 0.25) / (kind.newPrefixes + 2)
            p1h = (kind.firstReusesWithin1h + 0.25) / (kind.newPrefixes + 2)
            hits5m = min(Self.maxHits, p5m * (1 + chain(continuation * kind5m)))
            hits1h = min(Self.maxHits, p1h * (1 + chain(continuation * kind1h)))
        }
        self.init(
            hits5mMilli: Int((hits5m * 1000).rounded()), hits1hMilli: Int((hits1h * 1000).rounded()),
            first5mMilli: Int((p5m * 1000).rounded()), first1hMilli: Int((p1h * 1000).rounded()))
    }

    /// Expected hits for a TTL, in thousandths.
    public func hitsMilli(_ ttl: CacheTTL) -> Int { ttl == .oneHour ? hits1hMilli : hits5mMilli }
}
