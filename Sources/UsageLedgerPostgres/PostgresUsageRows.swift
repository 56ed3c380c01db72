import RouterCore
import UsageLedger

/// The SQL that stores `UsageRecord`s in PostgreSQL and keeps the daily rollup in step with them: multi-row
/// `INSERT`s (up to `chunk` rows per statement) and one upsert of the summed rollup deltas, keys in a fixed order
/// so replicas writing the same keys at once never deadlock.
enum PostgresUsageRows {
    /// Rows per INSERT statement: 40 parameters each, under PostgreSQL's 65,535 parameters per statement.
    static let chunk = 1_000

    static let columnList = UsageRows.columns.joined(separator: ", ")

    static let selectSQL = "SELECT \(columnList) FROM usage"

    static let aggregateColumns = [
        "requests", "errors", "retries", "attempts", "input_tokens", "output_tokens", "cache_write_5m_tokens",
        "cache_write_1h_tokens", "cache_read_tokens", "cost_nano", "baseline_nano", "saved_routing_nano",
        "saved_caching_nano", "saved_batching_nano", "web_search_requests", "web_search_nano",
        "saved_client_cache_nano",
    ]

    /// `INSERT … VALUES (…), (…)` for `count` rows.
    static func insertSQL(rows count: Int) -> String {
        let width = UsageRows.columns.count
        var sql = "INSERT INTO usage (\(columnList)) VALUES "
        sql.reserveCapacity(sql.count + count * width * 7)
        for row in 0..<count {
            if row > 0 { sql += ", " }
            sql += "("
            for column in 0..<width {
                if column > 0 { sql += ", " }
                sql += "$\(row * width + column + 1)"
            }
            sql += ")"
        }
        return sql
    }

    /// Inserts `rows` and folds them into the rollup. Call inside a transaction.
    static func insert(_ rows: [UsageRecord], session: PostgresSession) throws(LedgerError) {
        guard !rows.isEmpty else { return }
        var start = 0
        var deltas = UsageRows.RollupDeltas()
        while start < rows.count {
            let end = min(rows.count, start + chunk)
            try insertRows(rows[start..<end], session: session, rollup: &deltas)
            start = end
        }
        try apply(deltas, session: session)
    }

    /// Inserts one chunk of rows and adds them to `rollup` (not yet written).
    static func insertRows(
        _ rows: ArraySlice<UsageRecord>, session: PostgresSession, rollup: inout UsageRows.RollupDeltas
    ) throws(LedgerError) {
        var parameters: [SQLParameter] = []
        parameters.reserveCapacity(rows.count * UsageRows.columns.count)
        for row in rows {
            append(row, to: &parameters)
            let day = UTCDay(containingMillis: row.timestampMillis).number
            let key = UsageRows.RollupKey(
                day: day, client: row.client, taskType: row.taskType, model: row.modelUsed, mode: row.mode.rawValue)
            rollup[key, default: ReportTotals()].add(row)
        }
        try session.execute(insertSQL(rows: rows.count), parameters)
    }

    /// Applies summed rollup deltas in one upsert, keys sorted. Call inside the transaction that inserted the rows.
    static func apply(_ rollup: UsageRows.RollupDeltas, session: PostgresSession) throws(LedgerError) {
        guard !rollup.isEmpty else { return }
        let keys = rollup.keys.sorted {
            ($0.day, $0.client, $0.taskType, $0.model, $0.mode) < ($1.day, $1.client, $1.taskType, $1.model, $1.mode)
        }
        let width = 5 + aggregateColumns.count
        let updates = aggregateColumns.map { "\($0) = daily_rollup.\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
        // At most 2,000 keys (44,000 parameters) per statement, under PostgreSQL's 65,535.
        var start = 0
        while start < keys.count {
            let end = min(keys.count, start + 2_000)
            var values: [String] = []
            var parameters: [SQLParameter] = []
            for (index, key) in keys[start..<end].enumerated() {
                values.append("(" + (1...width).map { "$\(index * width + $0)" }.joined(separator: ", ") + ")")
                parameters += [
                    .integer(key.day), .text(key.client), .text(key.taskType), .text(key.model), .text(key.mode),
                ]
                parameters += rollup[key]!.integerColumns.map { .integer($0) }
            }
            try session.execute(
                "INSERT INTO daily_rollup (day, client, task_type, model, mode, \(aggregateColumns.joined(separator: ", ")))"
                    + " VALUES \(values.joined(separator: ", "))"
                    + " ON CONFLICT (day, client, task_type, model, mode) DO UPDATE SET \(updates)", parameters)
            start = end
        }
    }

    /// The row's columns in `UsageRows.columns` order.
    static func append(_ row: UsageRecord, to p: inout [SQLParameter]) {
        p.append(.text(row.kind.rawValue))
        p.append(.integer(row.timestampMillis))
        p.append(.text(row.requestID))
        p.append(.integer(Int64(row.attempt)))
        p.append(.value(row.upstreamRequestID))
        p.append(.text(row.client))
        p.append(.text(row.taskType))
        p.append(.integer(Int64(row.confidenceMillis)))
        p.append(.text(row.classifierReason))
        p.append(.text(row.modelRequested))
        p.append(.text(row.modelUsed))
        p.append(.text(row.tier))
        p.append(.text(row.mode.rawValue))
        p.append(.integer(Int64(row.status)))
        p.append(.value(row.errorType))
        p.append(.integer(row.usage.input))
        p.append(.integer(row.usage.output))
        p.append(.integer(row.usage.cacheWrite5m))
        p.append(.integer(row.usage.cacheWrite1h))
        p.append(.integer(row.usage.cacheRead))
        p.append(.integer(row.usageEstimated ? 1 : 0))
        p.append(.integer(row.cost.nanoUSD))
        p.append(.integer(row.baselineCost.nanoUSD))
        p.append(.integer(row.savedByRouting.nanoUSD))
        p.append(.integer(row.savedByCaching.nanoUSD))
        p.append(.integer(row.savedByBatching.nanoUSD))
        p.append(.text(row.priceVersion))
        p.append(.text(row.policyHash))
        p.append(.integer(Int64(row.latencyMillis)))
        p.append(.integer(Int64(row.upstreamLatencyMillis)))
        p.append(.integer(Int64(row.queueWaitMillis)))
        p.append(.integer(Int64(row.retries)))
        p.append(.text(row.cachePlan))
        p.append(.text(row.deferral))
        p.append(.integer(row.usage.webSearchRequests))
        p.append(.integer(row.webSearchCost.nanoUSD))
        p.append(.value(row.inferenceGeo))
        p.append(.integer(row.savedByClientCache.nanoUSD))
        p.append(.text(row.cacheBy.rawValue))
        p.append(.text(row.difficulty))
    }

    /// Reads a row selected with `selectSQL`.
    static func read(_ r: ResultRow) -> UsageRecord {
        var record = UsageRecord(
            kind: UsageRecord.Kind(rawValue: r.text(0)) ?? .request, timestampMillis: r.int64(1),
            requestID: r.text(2), attempt: r.int(3), upstreamRequestID: r.optionalText(4), client: r.text(5),
            taskType: r.text(6), confidenceMillis: r.int(7), classifierReason: r.text(8), modelRequested: r.text(9),
            modelUsed: r.text(10), tier: r.text(11), mode: UsageRecord.Mode(rawValue: r.text(12)) ?? .sync,
            status: r.int(13), errorType: r.optionalText(14),
            usage: TokenUsage(
                input: r.int64(15), output: r.int64(16), cacheWrite5m: r.int64(17), cacheWrite1h: r.int64(18),
                cacheRead: r.int64(19), webSearchRequests: r.int64(34)),
            usageEstimated: r.int64(20) != 0, cost: Money(nanoUSD: r.int64(21)),
            baselineCost: Money(nanoUSD: r.int64(22)), savedByRouting: Money(nanoUSD: r.int64(23)),
            savedByCaching: Money(nanoUSD: r.int64(24)), savedByBatching: Money(nanoUSD: r.int64(25)),
            priceVersion: r.text(26), policyHash: r.text(27), latencyMillis: r.int(28),
            upstreamLatencyMillis: r.int(29), queueWaitMillis: r.int(30), retries: r.int(31), cachePlan: r.text(32),
            deferral: r.text(33), savedByClientCache: Money(nanoUSD: r.int64(37)),
            webSearchCost: Money(nanoUSD: r.int64(35)), inferenceGeo: r.optionalText(36),
            cacheBy: UsageRecord.CacheOwner(rawValue: r.text(38)) ?? .none)
        record.difficulty = r.text(39)
        return record
    }
}
