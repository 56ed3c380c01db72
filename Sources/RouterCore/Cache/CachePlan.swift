public import ClaudeAPI
/// The planner's decision for one request: which breakpoints to add, why, and what it expects to save.
///
/// A value: the router keeps it in the request's `Decision`, applies it with `CachePlanner.apply(_:to:)`, feeds
/// it back with `CachePlanner.observe(_:plan:nowMillis:)`, and logs its `summary` in the ledger.
public struct CachePlan: Sendable, Hashable {
    /// One breakpoint the planner adds.
    public struct Breakpoint: Sendable, Hashable {
        /// The block that gets `cache_control`.
        public var location: CacheLocation
        /// The boundary kind it ends.
        public var kind: CacheBoundaryKind
        /// Its position in the flat block sequence.
        public var blockPosition: Int
        /// The TTL written.
        public var ttl: CacheTTL
        /// Estimated tokens of the prefix it caches.
        public var prefixTokens: Int
        /// Expected cache hits on the entry within its TTL chain, in thousandths.
        public var expectedHitsMilli: Int
        /// True when the planner believes the entry is already cached, so this request reads it.
        public var expectsRead: Bool
        /// Why, in words.
        public var reason: String

        /// Creates a breakpoint.
        public init(
            location: CacheLocation, kind: CacheBoundaryKind, blockPosition: Int, ttl: CacheTTL, prefixTokens: Int,
            expectedHitsMilli: Int, expectsRead: Bool, reason: String
        ) {
            self.location = location
            self.kind = kind
            self.blockPosition = blockPosition
            self.ttl = ttl
            self.prefixTokens = prefixTokens
            self.expectedHitsMilli = expectedHitsMilli
            self.expectsRead = expectsRead
            self.reason = reason
        }
    }

    /// The mode that applied to this request.
    public var mode: CachePolicy.Mode
    /// The breakpoints to add, in request order.
    public var breakpoints: [Breakpoint]
    /// Why the plan is what it is, in words an operator understands (one line each).
    public var reasons: [String]
    /// Expected input-cost saving of the added breakpoints against not adding them (negative when `force`
    /// marks what does not pay).
    public var expectedSaving: Money

    /// Creates a plan.
    public init(mode: CachePolicy.Mode, breakpoints: [Breakpoint], reasons: [String], expectedSaving: Money) {
        self.mode = mode
        self.breakpoints = breakpoints
        self.reasons = reasons
        self.expectedSaving = expectedSaving
    }

    /// A plan that adds nothing.
    public static func none(mode: CachePolicy.Mode, reason: String) -> CachePlan {
        CachePlan(mode: mode, breakpoints: [], reasons: [reason], expectedSaving: .zero)
    }

    /// The ledger's short form: `none`, or `section:ttl` per breakpoint, e.g. `system:1h,messages:5m`.
    public var summary: String {
        breakpoints.isEmpty
            ? "none" : breakpoints.map { "\($0.location.section):\($0.ttl.rawValue)" }.joined(separator: ",")
    }
}
