public import ClaudeAPI
/// What the planner needs to know about the model a request goes to: its minimum cacheable length and its
/// per-token prices. The router builds it from the policy's model table and dated prices.
public struct CacheModelProfile: Sendable, Hashable {
    /// The model id (caches, and so the statistics, are per model).
    public var model: String
    /// The shortest prefix, in tokens, the API caches for this model; shorter ones are silently not cached.
    public var minCacheableTokens: Int
    /// Base input price per million tokens.
    public var inputPerMTok: Money
    /// 5-minute cache write price per million tokens (1.25 × input on every model so far).
    public var write5mPerMTok: Money
    /// 1-hour cache write price per million tokens (2 × input).
    public var write1hPerMTok: Money
    /// Cache read price per million tokens (0.1 × input up to Fable 5, less on some later models).
    public var readPerMTok: Money

    /// The write price per million tokens for a TTL.
    public func writePerMTok(_ ttl: CacheTTL) -> Money {
        ttl == .oneHour ? write1hPerMTok : write5mPerMTok
    }

    /// The exact price of `tokens` at `perMTok`, rounded half up to a nano-dollar.
    public static func cost(tokens: Int, perMTok: Money) -> Money {
        let product = Int128(tokens) * Int128(perMTok.nanoUSD)
        return Money(nanoUSD: Int64((product + 500_000) / 1_000_000))
    }
}

// In an extension, so that Swift still synthesizes the memberwise initialiser (explicit prices).
extension CacheModelProfile {
    /// Creates a profile with the standard multipliers: write ×1.25 (5m) / ×2 (1h), read ×0.1.
    public init(model: String, minCacheableTokens: Int, inputPerMTok: Money) {
        let nanos = inputPerMTok.nanoUSD
        self.init(
            model: model, minCacheableTokens: minCacheableTokens, inputPerMTok: inputPerMTok,
            write5mPerMTok: Money(nanoUSD: nanos * 5 / 4), write1hPerMTok: Money(nanoUSD: nanos * 2),
            readPerMTok: Money(nanoUSD: nanos / 10))
    }
}
