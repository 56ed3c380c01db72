public import ClaudeAPI
/// What the statistics table knows of one prefix at planning time, decayed to the planning instant.
///
/// Only counts and times: the table never holds prompt text, only the 64-bit hash it is keyed by.
public struct PrefixObservation: Sendable, Hashable {
    /// Decayed number of earlier sightings of this exact prefix (0 when never seen).
    public var sightings: Double = 0
    /// Decayed count of the gaps between consecutive sightings of at most 5 minutes.
    public var gapsWithin5m: Double = 0
    /// Decayed count of the gaps of at most 1 hour.
    public var gapsWithin1h: Double = 0
    /// Decayed count of all gaps.
    public var gaps: Double = 0
    /// When it was last seen, in epoch milliseconds (0 when never).
    public var lastSeenMillis: Int64 = 0
    /// When a request last sent it with a breakpoint: the API should still hold it until
    /// `markedAtMillis + ttl` (the planner's belief, refreshed on every marked sighting).
    public var markedAtMillis: Int64 = 0
    /// The TTL of that breakpoint; nil when it was never marked.
    public var markedTTL: CacheTTL?
    /// Sightings counted without decay (1 = seen once before this request).
    public var rawSightings: Int = 0

    /// Never seen.
    public static let unseen = PrefixObservation()

    /// The TTL of the entry the API should still hold at `now`, if any. A margin of 5 seconds keeps the planner
    /// from counting on an entry that expires while the request is in flight.
    public func cachedTTL(nowMillis: Int64) -> CacheTTL? {
        guard let ttl = markedTTL else { return nil }
        return nowMillis - markedAtMillis <= ttl.millis - 5_000 ? ttl : nil
    }
}

/// What the table has learned about one kind of boundary on one model, decayed to the planning instant: the
/// prior for prefixes it has never seen, and for how long reuse tends to continue.
public struct KindObservation: Sendable, Hashable {
    /// Decayed number of prefixes of this kind seen for the first time.
    public var newPrefixes: Double = 0
    /// Of those, how many were seen again within 5 minutes of their first sighting.
    public var firstReusesWithin5m: Double = 0
    /// Of those, how many were seen again within 1 hour of their first sighting.
    public var firstReusesWithin1h: Double = 0
    /// The hits that 5-minute writes of those new prefixes at their first sighting would have earned: the
    /// measured payoff of a speculative write of this kind.
    public var newPrefixHits5m: Double = 0
    /// The same for 1-hour writes.
    public var newPrefixHits1h: Double = 0
    /// Decayed number of second sightings that were the deepest known prefix of their request: where the
    /// planner writes a prefix it has seen once.
    public var secondSightings: Double = 0
    /// The hits 5-minute writes at those second sightings would have earned.
    public var secondSightingHits5m: Double = 0
    /// The same for 1-hour writes.
    public var secondSightingHits1h: Double = 0
    /// Decayed number of re-sightings (sightings of a prefix seen before).
    public var resightings: Double = 0
    /// How many of those re-sightings were followed by yet another sighting.
    public var resightingsFollowed: Double = 0
    /// Decayed count of gaps between sightings of prefixes of this kind of at most 5 minutes.
    public var gapsWithin5m: Double = 0
    /// Decayed count of such gaps of at most 1 hour.
    public var gapsWithin1h: Double = 0
    /// Decayed count of all such gaps.
    public var gaps: Double = 0

    /// Nothing learned yet.
    public static let empty = KindObservation()

    /// Scales every count.
    mutating func scale(by factor: Double) {
        scaleNewPrefixes(by: factor)
        scaleSecondSightings(by: factor)
        resightings *= factor
        resightingsFollowed *= factor
        gapsWithin5m *= factor
        gapsWithin1h *= factor
        gaps *= factor
    }

    /// Keeps at most `window` new prefixes and second sightings, older ones weighing less as new ones come.
    mutating func keepRecent(window: Double) {
        if newPrefixes > window { scaleNewPrefixes(by: window / newPrefixes) }
        if secondSightings > window { scaleSecondSightings(by: window / secondSightings) }
    }

    mutating func scaleNewPrefixes(by factor: Double) {
        newPrefixes *= factor
        firstReusesWithin5m *= factor
        firstReusesWithin1h *= factor
        newPrefixHits5m *= factor
        newPrefixHits1h *= factor
    }

    mutating func scaleSecondSightings(by factor: Double) {
        secondSightings *= factor
        secondSightingHits5m *= factor
        secondSightingHits1h *= factor
    }

    /// Adds another observation's counts.
    mutating func add(_ other: KindObservation) {
        newPrefixes += other.newPrefixes
        firstReusesWithin5m += other.firstReusesWithin5m
        firstReusesWithin1h += other.firstReusesWithin1h
        newPrefixHits5m += other.newPrefixHits5m
        newPrefixHits1h += other.newPrefixHits1h
        secondSightings += other.secondSightings
        secondSightingHits5m += other.secondSightingHits5m
        secondSightingHits1h += other.secondSightingHits1h
        resightings += other.resightings
        resightingsFollowed += other.resightingsFollowed
        gapsWithin5m += other.gapsWithin5m
        gapsWithin1h += other.gapsWithin1h
        gaps += other.gaps
    }
}

/// A boundary kind's statistics for one request: its client's own and all clients' together, and the rates
/// the planner reads from them. A client with little history borrows from all clients, which borrow from a
/// fixed prior: each rate is the client's count shrunk towards all clients' rate by two pseudo-observations,
/// and all clients' towards the prior the same way, so a client has its own rate after a handful of requests.
public struct KindStatistics: Sendable, Hashable {
    /// The rates of one kind, computed once per request.
    public struct Rates: Sendable, Hashable {
        /// Share of new prefixes seen again within 5 minutes (1 hour) of their first sighting; prior 1/8.
        public var first5m: Double
        public var first1h: Double
        /// Hits a first-sighting write of a new prefix earned, per new prefix; prior 1/8 (under break-even), and
        /// a client borrows all clients' figure only where it is lower.
        public var newHits5m: Double
        public var newHits1h: Double
        /// Hits a write at a prefix's second sighting earned, per second sighting; prior 1/2.
        public var secondHits5m: Double
        public var secondHits1h: Double
        /// Share of re-sightings followed by another; prior 1/2.
        public var continuation: Double
        /// Share of gaps between sightings within 5 minutes (1 hour); prior 1/2.
        public var within5m: Double
        public var within1h: Double
    }

    /// What this request's client showed.
    public var client: KindObservation
    /// What every client together showed.
    public var all: KindObservation
    /// The rates, from both.
    public let rates: Rates

    /// Creates statistics and computes their rates.
    public init(client: KindObservation = .empty, all: KindObservation = .empty) {
        self.client = client
        self.all = all
        func shrunk(_ count: Double, _ total: Double, _ rate: Double) -> Double { (count + 2 * rate) / (total + 2) }
        func rate(_ c: (Double, Double), _ a: (Double, Double), prior: Double) -> Double {
            shrunk(c.0, c.1, shrunk(a.0, a.1, prior))
        }
        rates = Rates(
            first5m: rate(
                (client.firstReusesWithin5m, client.newPrefixes), (all.firstReusesWithin5m, all.newPrefixes),
                prior: 0.125),
            first1h: rate(
                (client.firstReusesWithin1h, client.newPrefixes), (all.firstReusesWithin1h, all.newPrefixes),
                prior: 0.125),
            // A speculative write must pay for this client: it borrows all clients' payoff only when that is
            // lower than the prior, so another client's returning conversations never make it speculate.
            newHits5m: shrunk(
                client.newPrefixHits5m, client.newPrefixes,
                min(0.125, shrunk(all.newPrefixHits5m, all.newPrefixes, 0.125))),
            newHits1h: shrunk(
                client.newPrefixHits1h, client.newPrefixes,
                min(0.125, shrunk(all.newPrefixHits1h, all.newPrefixes, 0.125))),
            secondHits5m: rate(
                (client.secondSightingHits5m, client.secondSightings), (all.secondSightingHits5m, all.secondSightings),
                prior: 0.5),
            secondHits1h: rate(
                (client.secondSightingHits1h, client.secondSightings), (all.secondSightingHits1h, all.secondSightings),
                prior: 0.5),
            continuation: rate(
                (client.resightingsFollowed, client.resightings), (all.resightingsFollowed, all.resightings),
                prior: 0.5),
            within5m: rate((client.gapsWithin5m, client.gaps), (all.gapsWithin5m, all.gaps), prior: 0.5),
            within1h: rate((client.gapsWithin1h, client.gaps), (all.gapsWithin1h, all.gaps), prior: 0.5))
    }

    /// Nothing learned.
    public static let empty = KindStatistics()
}
