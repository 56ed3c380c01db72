public import ClaudeAPI
/// The planner's view of one candidate boundary: expected reuse per TTL and whether the API should hold it now.
public struct BoundaryAssessment: Sendable, Hashable {
    /// Expected hits per TTL.
    public var estimate: ReuseEstimate
    /// The TTL of the entry the API should still hold, when the planner believes it is cached.
    public var cachedTTL: CacheTTL?
    /// Milliseconds since the entry was last written or refreshed (meaningful when `cachedTTL` is set).
    public var cachedAgeMillis: Int64
    /// Decayed earlier sightings of the exact prefix (0 for a new prefix).
    public var sightings: Double
    /// True when the table has never seen this prefix: a write would be speculative, and must clear the
    /// break-even by the policy's `speculativeMarginMilli`.
    public var isNew: Bool

    /// Creates an assessment from explicit numbers.
    public init(
        estimate: ReuseEstimate, cachedTTL: CacheTTL? = nil, cachedAgeMillis: Int64 = 0, sightings: Double = 0,
        isNew: Bool = false
    ) {
        self.estimate = estimate
        self.cachedTTL = cachedTTL
        self.cachedAgeMillis = cachedAgeMillis
        self.sightings = sightings
        self.isNew = isNew
    }

    /// Assesses a boundary from its prefix's record and its kind's rates.
    init(prefix: PrefixObservation, rates: KindStatistics.Rates, nowMillis: Int64) {
        let cached = prefix.cachedTTL(nowMillis: nowMillis)
        self.init(
            estimate: ReuseEstimate(prefix: prefix, rates: rates, nowMillis: nowMillis), cachedTTL: cached,
            cachedAgeMillis: cached == nil ? 0 : nowMillis - prefix.markedAtMillis, sightings: prefix.sightings,
            isNew: prefix.sightings == 0 && prefix.lastSeenMillis == 0)
    }
}
