public import RouterCore

/// The sums a report shows for one group of rows (or for all of them): counts, tokens by kind, money by lever.
///
/// Only `.request` rows count as requests and carry tokens and cost; `.attempt` rows are counted in `attempts`
/// alone, because the request row already sums its attempts.
public struct ReportTotals: Sendable, Hashable, Codable {
    /// Requests served (`.request` rows).
    public var requests: Int64 = 0
    /// Requests that ended in an error (an API error type, or an HTTP status of 400 or more).
    public var errors: Int64 = 0
    /// Upstream retries the requests needed.
    public var retries: Int64 = 0
    /// Upstream attempts recorded (`.attempt` rows).
    public var attempts: Int64 = 0
    /// Tokens by kind.
    public var usage: TokenUsage = .zero
    /// What the requests cost.
    public var cost: Money = .zero
    /// What they would have cost without the router.
    public var baselineCost: Money = .zero
    /// Savings from choosing a cheaper model.
    public var savedByRouting: Money = .zero
    /// Savings from prompt caching.
    public var savedByCaching: Money = .zero
    /// Savings from batch pricing.
    public var savedByBatching: Money = .zero
    /// What the clients' own cache breakpoints saved (not a router saving: outside `saved`).
    public var savedByClientCache: Money = .zero
    /// The web-search fees included in `cost`.
    public var webSearchCost: Money = .zero

    /// Zero totals.
    public init() {}

    /// `baselineCost - cost`.
    public var saved: Money { baselineCost - cost }

    /// Cache reads over all input tokens (cache reads, cache writes and uncached input); 0 when there was no input.
    public var cacheHitRatio: Double {
        let total = usage.totalInput
        return total == 0 ? 0 : Double(usage.cacheRead) / Double(total)
    }

    /// Adds one ledger row.
    public mutating func add(_ row: UsageRecord) {
        guard row.kind == .request else {
            attempts += 1
            return
        }
        requests += 1
        if row.errorType != nil || row.status >= 400 { errors += 1 }
        retries += Int64(row.retries)
        usage = usage + row.usage
        cost += row.cost
        baselineCost += row.baselineCost
        savedByRouting += row.savedByRouting
        savedByCaching += row.savedByCaching
        savedByBatching += row.savedByBatching
        savedByClientCache += row.savedByClientCache
        webSearchCost += row.webSearchCost
    }

    /// Adds another group's totals.
    public static func + (lhs: ReportTotals, rhs: ReportTotals) -> ReportTotals {
        var sum = lhs
        sum.requests += rhs.requests
        sum.errors += rhs.errors
        sum.retries += rhs.retries
        sum.attempts += rhs.attempts
        sum.usage = sum.usage + rhs.usage
        sum.cost += rhs.cost
        sum.baselineCost += rhs.baselineCost
        sum.savedByRouting += rhs.savedByRouting
        sum.savedByCaching += rhs.savedByCaching
        sum.savedByBatching += rhs.savedByBatching
        sum.savedByClientCache += rhs.savedByClientCache
        sum.webSearchCost += rhs.webSearchCost
        return sum
    }

    /// The sums in the order of the rollup's and the report queries' aggregate columns.
    package var integerColumns: [Int64] {
        [
            requests, errors, retries, attempts, usage.input, usage.output, usage.cacheWrite5m, usage.cacheWrite1h,
            usage.cacheRead, cost.nanoUSD, baselineCost.nanoUSD, savedByRouting.nanoUSD, savedByCaching.nanoUSD,
            savedByBatching.nanoUSD, usage.webSearchRequests, webSearchCost.nanoUSD, savedByClientCache.nanoUSD,
        ]
    }

    /// Totals from the aggregate columns in `integerColumns` order (another store's query result).
    package init(columns c: [Int64]) {
        precondition(c.count == 17, "17 aggregate columns")
        requests = c[0]
        errors = c[1]
        retries = c[2]
        attempts = c[3]
        usage = TokenUsage(
            input: c[4], output: c[5], cacheWrite5m: c[6], cacheWrite1h: c[7], cacheRead: c[8],
            webSearchRequests: c[14])
        cost = Money(nanoUSD: c[9])
        baselineCost = Money(nanoUSD: c[10])
        savedByRouting = Money(nanoUSD: c[11])
        savedByCaching = Money(nanoUSD: c[12])
        savedByBatching = Money(nanoUSD: c[13])
        webSearchCost = Money(nanoUSD: c[15])
        savedByClientCache = Money(nanoUSD: c[16])
    }

    /// Reads the aggregate columns starting at `first`, in `integerColumns` order.
    package init(_ row: some SQLRow, from first: Int) {
        self.init(columns: (first..<(first + Self.columnNames.count)).map { row.int64($0) })
    }

    /// The rollup's aggregate columns, in `integerColumns` order.
    package static let columnNames = [
        "requests", "errors", "retries", "attempts", "input_tokens", "output_tokens", "cache_write_5m_tokens",
        "cache_write_1h_tokens", "cache_read_tokens", "cost_nano", "baseline_nano", "saved_routing_nano",
        "saved_caching_nano", "saved_batching_nano", "web_search_requests", "web_search_nano",
        "saved_client_cache_nano",
    ]
}
