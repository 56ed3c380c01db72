import ClaudeAPI
import RouterCore

/// An upstream usage as the ledger bills it, checked before anything adds or multiplies its counts.
struct Billable {
    /// The counts; zero when `impossible`.
    var usage: TokenUsage
    /// The geo the API reported (`us`, `global`), nil when it reported none or `not_available`.
    var geo: String?
    /// Why the usage cannot be billed, nil when it can.
    var impossible: String?

    /// The token counts of an API usage (its web search requests included).
    static func tokenUsage(_ usage: Usage) -> TokenUsage {
        TokenUsage(
            input: Int64(usage.inputTokens), output: Int64(usage.outputTokens),
            cacheWrite5m: Int64(usage.cacheCreation5mInputTokens), cacheWrite1h: Int64(usage.cacheCreation1hInputTokens),
            cacheRead: Int64(usage.cacheReadInputTokens), webSearchRequests: Int64(usage.webSearchRequests))
    }

    /// Reads and checks `usage` for `model`: counts that are not 64-bit whole numbers, negative counts, or counts
    /// whose price overflows make it impossible (zero counts, a reason), so the pacer, the cache planner, the
    /// metrics and the ledger never do arithmetic on them.
    static func of(_ usage: Usage, model: ModelSpec?, on day: Day) -> Billable {
        let geo = usage.inferenceGeo.flatMap { $0 == "not_available" ? nil : $0 }
        let unreadable = usage.unreadableCounts
        if !unreadable.isEmpty {
            return Billable(usage: .zero, geo: geo, impossible: "unreadable counts: \(unreadable.joined(separator: ", "))")
        }
        let tokens = tokenUsage(usage)
        if let model {
            let price = model.price(on: day)
            do {
                _ = try Pricing.checkedCost(of: tokens, price: price, terms: Pricing.Terms(geo: geo))
                _ = try Pricing.checkedCost(of: Pricing.uncached(tokens), price: price, terms: Pricing.Terms(geo: geo))
            } catch {
                return Billable(usage: .zero, geo: geo, impossible: error.description)
            }
        } else if !tokens.isNonNegative {
            return Billable(usage: .zero, geo: geo, impossible: "negative counts")
        }
        return Billable(usage: tokens, geo: geo, impossible: nil)
    }
}

extension UsageRecord {
    /// Makes this row the record of a usage that could not be billed: zero tokens and cost, `impossible_usage`.
    mutating func markImpossible() {
        usage = .zero
        usageEstimated = true
        errorType = PricingError.ledgerErrorType
        cost = .zero
        baselineCost = .zero
        savedByRouting = .zero
        savedByCaching = .zero
        savedByClientCache = .zero
        savedByBatching = .zero
        webSearchCost = .zero
    }
}
