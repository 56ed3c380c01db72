public import ClaudeAPI
/// What the cache planner sees of one request: candidate boundaries with prefix hashes and token counts, the
/// client's own markers, and whether top-level automatic caching is on. No prompt text.
public struct CacheRequestFeatures: Sendable, Hashable {
    /// The model the request goes to (caches are per model).
    public var model: String
    /// The client's name from the policy, for per-client policy overrides.
    public var client: String
    /// The task type the classifier chose, for per-task-type policy overrides.
    public var taskType: String
    /// Candidate breakpoints in request order (tools → system → messages).
    public var boundaries: [CacheBoundary]
    /// The client's explicit `cache_control` markers, in request order.
    public var clientMarkers: [ClientCacheMarker]
    /// The TTL of a top-level `cache_control` (automatic caching), or nil when it is absent.
    public var automaticTTL: CacheTTL?
    /// True when a `cache_control` the client sent has a TTL the planner does not know; it then leaves the
    /// request alone rather than guess at the API's rules.
    public var hasUnknownMarker: Bool
    /// Estimated tokens of the whole prompt.
    public var totalTokens: Int

    /// Creates features; the router builds them with `init(request:…)`, the replay benchmark directly.
    public init(
        model: String, client: String = "", taskType: String = "", boundaries: [CacheBoundary],
        clientMarkers: [ClientCacheMarker] = [], automaticTTL: CacheTTL? = nil, hasUnknownMarker: Bool = false,
        totalTokens: Int
    ) {
        self.model = model
        self.client = client
        self.taskType = taskType
        self.boundaries = boundaries
        self.clientMarkers = clientMarkers
        self.automaticTTL = automaticTTL
        self.hasUnknownMarker = hasUnknownMarker
        self.totalTokens = totalTokens
    }

    /// The breakpoints the API will count against its limit of 4: the client's markers, plus the automatic one
    /// unless the last cacheable block already carries an explicit marker (then automatic caching is a no-op).
    public var occupiedBreakpoints: Int {
        clientMarkers.count + (automaticBreakpoint != nil ? 1 : 0)
    }

    /// Where top-level automatic caching puts its breakpoint (the last cacheable block), when it adds one.
    public var automaticBreakpoint: ClientCacheMarker? {
        guard let ttl = automaticTTL, let last = boundaries.last else { return nil }
        if clientMarkers.contains(where: { $0.blockPosition == last.blockPosition }) { return nil }
        return ClientCacheMarker(
            location: last.location, blockPosition: last.blockPosition, prefixTokens: last.prefixTokens, ttl: ttl)
    }

    /// Every breakpoint fixed before planning (client markers and the automatic one), in request order.
    public var fixedBreakpoints: [ClientCacheMarker] {
        var all = clientMarkers
        if let automatic = automaticBreakpoint { all.append(automatic) }
        return all.sorted { $0.blockPosition < $1.blockPosition }
    }
}
