/// One model the router may use: identity, limits and dated prices.
public struct ModelSpec: Sendable, Hashable {
    /// The API id sent upstream, e.g. `claude-sonnet-4-6`.
    public var id: String
    /// Other spellings that resolve to this model (dated ids, short names).
    public var aliases: [String]
    /// The model's class.
    public var tier: Tier
    /// The largest input the model accepts, in tokens.
    public var contextWindow: Int64
    /// The largest `max_tokens` the model accepts.
    public var maxOutputTokens: Int64
    /// Prompts shorter than this are never cached by the API (silently).
    public var minCacheableTokens: Int64
    /// The rate-limit bucket the model shares with others (a key of the limits section).
    public var rateLimitBucket: String
    /// Dated prices, sorted by `effectiveFrom` ascending.
    public var prices: [ModelPrice]
    /// The model takes manual extended thinking (`thinking: {type: enabled}`); models.yaml's `manual_thinking`,
    /// shown in `GET /v1/models` capabilities.
    public var manualThinking: Bool

    /// Creates a model; `prices` are sorted by date here.
    public init(
        id: String, aliases: [String] = [], tier: Tier, contextWindow: Int64, maxOutputTokens: Int64,
        minCacheableTokens: Int64, rateLimitBucket: String, prices: [ModelPrice], manualThinking: Bool = false
    ) {
        self.id = id
        self.aliases = aliases
        self.tier = tier
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.minCacheableTokens = minCacheableTokens
        self.rateLimitBucket = rateLimitBucket
        self.prices = prices.sorted { $0.effectiveFrom < $1.effectiveFrom }
        self.manualThinking = manualThinking
    }

    /// The price in force on `day`: the latest one that starts on or before it, or the earliest if none does.
    public func price(on day: Day) -> ModelPrice {
        prices.last { $0.effectiveFrom <= day } ?? prices[0]
    }

    /// Names the dated price that applies on `day`, e.g. `claude-sonnet-4-6@2026-02-17`; ledger rows carry it.
    public func priceVersion(on day: Day) -> String { "\(id)@\(price(on: day).effectiveFrom)" }
}
