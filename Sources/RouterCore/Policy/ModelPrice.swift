/// The prices of one model from a date on, per token kind.
///
/// A model keeps a list of these; the one with the latest `effectiveFrom` not after the usage date applies.
public struct ModelPrice: Sendable, Hashable {
    /// The first UTC day (`YYYY-MM-DD`) this price applies.
    public var effectiveFrom: Day
    /// Uncached input tokens.
    public var input: PerMillionPrice
    /// Output tokens (thinking included).
    public var output: PerMillionPrice
    /// Tokens written to the cache with the 5-minute TTL.
    public var cacheWrite5m: PerMillionPrice
    /// Tokens written to the cache with the 1-hour TTL.
    public var cacheWrite1h: PerMillionPrice
    /// Tokens read from the cache.
    public var cacheRead: PerMillionPrice
    /// What batch calls pay, in percent of the prices above (50 = half price).
    public var batchPercent: Int64
    /// The fee per 1,000 web searches (`usage.server_tool_use.web_search_requests`); the API's is $10.
    public var webSearchPerThousand: Money
    /// Token-price multipliers, in percent, by `inference_geo` value (e.g. `us: 110`); a geo not listed is 100.
    public var geoPercent: [String: Int64]

    /// Creates a price; cache prices default to the API's multipliers of `input` (×1.25, ×2, ×0.1), batch to 50%,
    /// web search to $10 per 1,000, and no geo multiplier.
    public init(
        effectiveFrom: Day, input: PerMillionPrice, output: PerMillionPrice, cacheWrite5m: PerMillionPrice? = nil,
        cacheWrite1h: PerMillionPrice? = nil, cacheRead: PerMillionPrice? = nil, batchPercent: Int64 = 50,
        webSearchPerThousand: Money = ModelPrice.apiWebSearchPerThousand, geoPercent: [String: Int64] = [:]
    ) {
        self.effectiveFrom = effectiveFrom
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m ?? input.scaled(125, 100)
        self.cacheWrite1h = cacheWrite1h ?? input.scaled(2, 1)
        self.cacheRead = cacheRead ?? input.scaled(1, 10)
        self.batchPercent = batchPercent
        self.webSearchPerThousand = webSearchPerThousand
        self.geoPercent = geoPercent
    }

    /// The API's web-search fee: $10 per 1,000 searches.
    public static let apiWebSearchPerThousand = Money(nanoUSD: 10 * Money.nanosPerDollar)

    /// The multiplier (percent) that applies to token prices for `geo` (nil or unlisted: 100).
    public func geoPercent(for geo: String?) -> Int64 { geo.flatMap { geoPercent[$0] } ?? 100 }
}
