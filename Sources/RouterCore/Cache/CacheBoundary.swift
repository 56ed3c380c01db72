public import ClaudeAPI
/// One place a breakpoint could go, with what the planner needs to judge it: no prompt text, only a hash.
public struct CacheBoundary: Sendable, Hashable {
    /// The block that would carry `cache_control`.
    public var location: CacheLocation
    /// Which stable boundary this is.
    public var kind: CacheBoundaryKind
    /// The block's position in the flat tools → system → messages block sequence (0-based), as the API counts
    /// positions for its 20-block lookback.
    public var blockPosition: Int
    /// Estimated tokens of the prefix up to and including this block.
    public var prefixTokens: Int
    /// Hash of the canonical prefix up to and including this block (cache markers stripped).
    public var prefixHash: UInt64

    /// Creates a boundary.
    public init(
        location: CacheLocation, kind: CacheBoundaryKind, blockPosition: Int, prefixTokens: Int, prefixHash: UInt64
    ) {
        self.location = location
        self.kind = kind
        self.blockPosition = blockPosition
        self.prefixTokens = prefixTokens
        self.prefixHash = prefixHash
    }
}

/// A `cache_control` marker the client put on a block itself.
public struct ClientCacheMarker: Sendable, Hashable {
    /// The marked block.
    public var location: CacheLocation
    /// Its position in the flat block sequence.
    public var blockPosition: Int
    /// Estimated tokens of the prefix it ends.
    public var prefixTokens: Int
    /// Its TTL (a bare marker is 5m).
    public var ttl: CacheTTL
}
