public import ClaudeAPI
/// The planner's decision for one request: which breakpoints to add, why, and what it expects to save.
///
/// A value: the router keeps it in the request's `Decision` (with the client's own breakpoints beside the ones it
/// adds, so the plan says who placed each), applies it with `apply(to:)`, feeds it back with
/// `CachePlanner.observe(_:plan:nowMillis:)`, and logs its `ledgerForm` in the ledger. The reasons are kept as the
/// numbers they are made of and written out only when read (`policy explain`, `POST /v1/route`): the router plans
/// every request but explains few.
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
        /// What the reason is made of.
        var why: Why

        /// Why, in words.
        public var reason: String {
            get { why.text }
            set { why = .text(newValue) }
        }

        public static func == (lhs: Breakpoint, rhs: Breakpoint) -> Bool {
            lhs.location == rhs.location && lhs.kind == rhs.kind && lhs.blockPosition == rhs.blockPosition
                && lhs.ttl == rhs.ttl && lhs.prefixTokens == rhs.prefixTokens
                && lhs.expectedHitsMilli == rhs.expectedHitsMilli && lhs.expectsRead == rhs.expectsRead
                && (lhs.why == rhs.why || lhs.reason == rhs.reason)
        }

        public func hash(into hasher: inout Hasher) {
            // The reason is left out: two equal breakpoints may hold it in different forms.
            hasher.combine(location)
            hasher.combine(kind)
            hasher.combine(blockPosition)
            hasher.combine(ttl)
            hasher.combine(prefixTokens)
            hasher.combine(expectedHitsMilli)
            hasher.combine(expectsRead)
        }
    }

    /// What a breakpoint's reason is made of.
    enum Why: Sendable, Hashable {
        case text(String)
        /// The planner's own: the boundary, the TTL chosen, its assessment and the TTL's break-even.
        case planned(
            prefixTokens: Int, kind: CacheBoundaryKind, ttl: CacheTTL, forced: Bool, assessment: BoundaryAssessment,
            breakEvenMilli: Int)

        var text: String {
            switch self {
            case .text(let text): text
            case .planned(let tokens, let kind, let ttl, let forced, let assessment, let breakEven):
                CacheDecision.reason(
                    prefixTokens: tokens, kind: kind, ttl: ttl, forced: forced, assessment: assessment,
                    breakEvenMilli: breakEven)
            }
        }
    }

    /// What the plan's reasons are made of.
    enum Account: Sendable, Hashable {
        /// Given lines.
        case lines([String])
        /// One line per breakpoint, then, when the client had `fixed` breakpoints, a line that they were kept.
        case breakpoints(fixed: Int, slots: Int)
        /// No breakpoint added because none pays: the best expected 5m hits and the 5m break-even.
        case nothingPays(bestMilli: Int, breakEvenMilli: Int)
        /// No breakpoint added because no free prefix reaches the model's minimum.
        case belowMinimum(model: String, minimum: Int)
    }

    /// The mode that applied to this request.
    public var mode: CachePolicy.Mode
    /// The breakpoints to add, in request order.
    public var breakpoints: [Breakpoint]
    /// Why the plan is what it is (kept as numbers until read).
    var account: Account
    /// Expected input-cost saving of the added breakpoints against not adding them (negative when `force`
    /// marks what does not pay).
    public var expectedSaving: Money
    /// The breakpoints the client's request already carries (its `cache_control` markers, the top-level one
    /// included), in request order; the router keeps them as they are.
    public var clientBreakpoints: [CacheBreakpoint] = []

    /// Why the plan is what it is, in words an operator understands (one line each).
    public var reasons: [String] {
        get {
            switch account {
            case .lines(let lines): return lines
            case .breakpoints(let fixed, let slots):
                var lines = breakpoints.map { "\($0.location): \($0.reason)" }
                if fixed > 0 { lines.append("kept the client's \(fixed) breakpoint(s); \(slots) slot(s) were free") }
                return lines
            case .nothingPays(let best, let breakEven):
                return [
                    "no boundary pays: at most \(CacheDecision.decimal(best)) expected hits within 5m, break-even \(CacheDecision.decimal(breakEven))"
                ]
            case .belowMinimum(let model, let minimum):
                return [
                    "no prefix reaches \(model)'s minimum of \(minimum) tokens (longest free one is shorter)"
                ]
            }
        }
        set { account = .lines(newValue) }
    }

    /// A plan that adds nothing.
    public static func none(mode: CachePolicy.Mode, reason: String) -> CachePlan {
        CachePlan(mode: mode, breakpoints: [], reasons: [reason], expectedSaving: .zero)
    }

    static func none(mode: CachePolicy.Mode, account: Account) -> CachePlan {
        CachePlan(mode: mode, breakpoints: [], account: account, expectedSaving: .zero)
    }

    public static func == (lhs: CachePlan, rhs: CachePlan) -> Bool {
        lhs.mode == rhs.mode && lhs.breakpoints == rhs.breakpoints && lhs.expectedSaving == rhs.expectedSaving
            && lhs.clientBreakpoints == rhs.clientBreakpoints
            && (lhs.account == rhs.account || lhs.reasons == rhs.reasons)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mode)
        hasher.combine(breakpoints)
        hasher.combine(expectedSaving)
        hasher.combine(clientBreakpoints)
    }

    /// The router's breakpoints in short form: `none`, or `section:ttl` per breakpoint, e.g. `system:1h,messages:5m`.
    public var summary: String {
        breakpoints.isEmpty
            ? "none" : breakpoints.map { "\($0.location.section):\($0.ttl.rawValue)" }.joined(separator: ",")
    }

    /// Who placed a breakpoint.
    public enum Placer: String, Sendable, Hashable {
        /// The cache planner added it.
        case router
        /// The client's request carried it.
        case client
    }

    /// One breakpoint the request goes upstream with: where, which TTL, and who placed it.
    public struct Placed: Sendable, Hashable {
        /// The JSON path of the marked block (`system[0]`, `messages[3].content[0]`), or `cache_control` for the
        /// client's top-level (automatic) marker.
        public var location: String
        /// Its TTL.
        public var ttl: CacheTTL
        /// Who placed it.
        public var placedBy: Placer
    }

    /// Every breakpoint the request goes upstream with, the client's and the router's, in request order (a router
    /// breakpoint on a block the client marked is not added, see `apply(to:)`).
    public var placed: [Placed] {
        let clientLocations = Set(clientBreakpoints.map(\.location))
        let client = clientBreakpoints.map { ($0.location, $0.ttl, Placer.client) }
        let router = breakpoints.map { ($0.location.breakpointLocation, $0.ttl, Placer.router) }
            .filter { !clientLocations.contains($0.0) }
        return (client + router).sorted { $0.0 < $1.0 }.map { Placed(location: "\($0.0)", ttl: $0.1, placedBy: $0.2) }
    }

    /// The ledger's `cache_plan` (and the `x-router-cache-plan` header): the router's breakpoints in short form
    /// (`system:1h,messages:5m`) when it placed any; else the client's, marked as theirs
    /// (`client:system[0]:5m,cache_control:5m`); else `none`.
    public var ledgerForm: String {
        if !breakpoints.isEmpty { return summary }
        if clientBreakpoints.isEmpty { return "none" }
        return "client:" + clientBreakpoints.map { "\($0.location):\($0.ttl.rawValue)" }.joined(separator: ",")
    }

    /// Whose breakpoints the request carries upstream (the ledger's `cache_by`).
    public var owner: UsageRecord.CacheOwner {
        switch (clientBreakpoints.isEmpty, breakpoints.isEmpty) {
        case (true, true): .none
        case (true, false): .router
        case (false, true): .client
        case (false, false): .both
        }
    }
}

// The public initialisers sit in extensions so that Swift still synthesizes the memberwise ones the planner uses.
extension CachePlan {
    /// Creates a plan.
    public init(mode: CachePolicy.Mode, breakpoints: [Breakpoint], reasons: [String], expectedSaving: Money) {
        self.init(mode: mode, breakpoints: breakpoints, account: .lines(reasons), expectedSaving: expectedSaving)
    }
}

extension CachePlan.Breakpoint {
    /// Creates a breakpoint.
    public init(
        location: CacheLocation, kind: CacheBoundaryKind, blockPosition: Int, ttl: CacheTTL, prefixTokens: Int,
        expectedHitsMilli: Int, expectsRead: Bool, reason: String
    ) {
        self.init(
            location: location, kind: kind, blockPosition: blockPosition, ttl: ttl, prefixTokens: prefixTokens,
            expectedHitsMilli: expectedHitsMilli, expectsRead: expectsRead, why: .text(reason))
    }
}
