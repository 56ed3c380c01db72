import RouterCore

/// The SQL that stores `UsageRecord`s and keeps the daily rollup in step with them.
package enum UsageRows {
    /// Every column of `usage` except `id`, in `UsageRecord` order.
    package static let columns = [
        "kind", "ts", "request_id", "attempt", "upstream_request_id", "client", "task_type", "confidence_millis",
        "classifier_reason", "model_requested", "model_used", "tier", "mode", "status", "error_type",
        "input_tokens", "output_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "cache_read_tokens",
        "usage_estimated", "cost_nano", "baseline_nano", "saved_routing_nano", "saved_caching_nano",
        "saved_batching_nano", "price_version", "policy_hash", "latency_ms", "upstream_latency_ms", "queue_wait_ms",
        "retries", "cache_plan", "deferral", "web_search_requests", "web_search_nano", "inference_geo",
        "saved_client_cache_nano", "cache_by", "difficulty",
    ]

    static let insertSQL =
        "INSERT INTO usage (\(columns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"

    static let selectSQL = "SELECT \(columns.joined(separator: ", ")) FROM usage"

    static let upsertRollupSQL = """
        INSERT INTO daily_rollup (day, client, task_type, model, mode, requests, errors, retries, attempts,
            input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
            cost_nano, baseline_nano, saved_routing_nano, saved_caching_nano, saved_batching_nano,
            web_search_requests, web_search_nano, saved_client_cache_nano)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (day, client, task_type, model, mode) DO UPDATE SET
            requests = requests + excluded.requests,
            errors = errors + excluded.errors,
            retries = retries + excluded.retries,
            attempts = attempts + excluded.attempts,
            input_tokens = input_tokens + excluded.input_tokens,
            output_tokens = output_tokens + excluded.output_tokens,
            cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
            cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
            cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
            cost_nano = cost_nano + excluded.cost_nano,
            baseline_nano = baseline_nano + excluded.baseline_nano,
            saved_routing_nano = saved_routing_nano + excluded.saved_routing_nano,
            saved_caching_nano = saved_caching_nano + excluded.saved_caching_nano,
            saved_batching_nano = saved_batching_nano + excluded.saved_batching_nano,
            web_search_requests = web_search_requests + excluded.web_search_requests,
            web_search_nano = web_search_nano + excluded.web_search_nano,
            saved_client_cache_nano = saved_client_cache_nano + excluded.saved_client_cache_nano
        """

    /// The rollup's key: one row per UTC day, client, task type, model used and mode.
    package struct RollupKey: Hashable {
        package var day: Int64
        package var client: String
        package var taskType: String
        package var model: String
        package var mode: String

        package init(day: Int64, client: String, taskType: String, model: String, mode: String) {
            self.day = day
            self.client = client
            self.taskType = taskType
            self.model = model
            self.mode = mode
        }
    }

    /// Rollup sums per key, gathered in memory over a transaction.
    package typealias RollupDeltas = [RollupKey: ReportTotals]

    /// Inserts `rows` and folds them into the rollup. Call inside a transaction.
    static func insert(_ rows: [UsageRecord], into database: Database) throws(LedgerError) {
        var rollup = RollupDeltas()
        try insertRows(rows[...], into: database, rollup: &rollup)
        try apply(rollup, to: database)
    }

    /// Inserts `rows` into `usage` and adds them to `rollup` (not yet written). Call inside a transaction.
    static func insertRows(
        _ rows: ArraySlice<UsageRecord>, into database: Database, rollup: inout RollupDeltas
    ) throws(LedgerError) {
        let insert = try database.prepare(insertSQL)
        // Consecutive rows mostly fall on the same UTC day: compute the day only when the time leaves it.
        var day: Int64 = 0
        var dayStart: Int64 = 1
        var dayEnd: Int64 = 0
        var arena = TextArena()
        for row in rows {
            arena.reset()
            bind(row, to: insert, texts: &arena)
            try arena.run(insert)
            if row.timestampMillis < dayStart || row.timestampMillis >= dayEnd {
                let utc = UTCDay(containingMillis: row.timestampMillis)
                day = utc.number
                dayStart = utc.startMillis
                dayEnd = dayStart + UTCDay.millis
            }
            let key = RollupKey(
                day: day, client: row.client, taskType: row.taskType, model: row.modelUsed, mode: row.mode.rawValue)
            rollup[key, default: ReportTotals()].add(row)
        }
    }

    /// Applies summed rollup deltas: one upsert per key. Call inside the transaction that inserted the rows.
    static func apply(_ rollup: RollupDeltas, to database: Database) throws(LedgerError) {
        guard !rollup.isEmpty else { return }
        let upsert = try database.prepare(upsertRollupSQL)
        for (key, sums) in rollup {
            upsert.bind(key.day, at: 1)
            upsert.bind(key.client, at: 2)
            upsert.bind(key.taskType, at: 3)
            upsert.bind(key.model, at: 4)
            upsert.bind(key.mode, at: 5)
            for (offset, value) in sums.integerColumns.enumerated() { upsert.bind(value, at: Int32(6 + offset)) }
            try upsert.run()
        }
    }

    /// Binds the integers of `row` to `statement` and gathers its strings in `texts` (bound when it runs).
    private static func bind(_ row: UsageRecord, to statement: Statement, texts: inout TextArena) {
        texts.add(row.kind.rawValue, at: 1)
        statement.bind(row.timestampMillis, at: 2)
        texts.add(row.requestID, at: 3)
        statement.bind(row.attempt, at: 4)
        if let upstream = row.upstreamRequestID {
            texts.add(upstream, at: 5)
        } else {
            statement.bind(nil as String?, at: 5)
        }
        texts.add(row.client, at: 6)
        texts.add(row.taskType, at: 7)
        statement.bind(row.confidenceMillis, at: 8)
        texts.add(row.classifierReason, at: 9)
        texts.add(row.modelRequested, at: 10)
        texts.add(row.modelUsed, at: 11)
        texts.add(row.tier, at: 12)
        texts.add(row.mode.rawValue, at: 13)
        statement.bind(row.status, at: 14)
        if let error = row.errorType {
            texts.add(error, at: 15)
        } else {
            statement.bind(nil as String?, at: 15)
        }
        statement.bind(row.usage.input, at: 16)
        statement.bind(row.usage.output, at: 17)
        statement.bind(row.usage.cacheWrite5m, at: 18)
        statement.bind(row.usage.cacheWrite1h, at: 19)
        statement.bind(row.usage.cacheRead, at: 20)
        statement.bind(row.usageEstimated, at: 21)
        statement.bind(row.cost.nanoUSD, at: 22)
        statement.bind(row.baselineCost.nanoUSD, at: 23)
        statement.bind(row.savedByRouting.nanoUSD, at: 24)
        statement.bind(row.savedByCaching.nanoUSD, at: 25)
        statement.bind(row.savedByBatching.nanoUSD, at: 26)
        texts.add(row.priceVersion, at: 27)
        texts.add(row.policyHash, at: 28)
        statement.bind(row.latencyMillis, at: 29)
        statement.bind(row.upstreamLatencyMillis, at: 30)
        statement.bind(row.queueWaitMillis, at: 31)
        statement.bind(row.retries, at: 32)
        texts.add(row.cachePlan, at: 33)
        texts.add(row.deferral, at: 34)
        statement.bind(row.usage.webSearchRequests, at: 35)
        statement.bind(row.webSearchCost.nanoUSD, at: 36)
        if let geo = row.inferenceGeo {
            texts.add(geo, at: 37)
        } else {
            statement.bind(nil as String?, at: 37)
        }
        statement.bind(row.savedByClientCache.nanoUSD, at: 38)
        texts.add(row.cacheBy.rawValue, at: 39)
        texts.add(row.difficulty, at: 40)
    }

    /// Reads a row selected with `selectSQL` (columns in the same order).
    static func read(_ statement: Statement, offset o: Int32 = 0) -> UsageRecord {
        var record = UsageRecord(
            kind: UsageRecord.Kind(rawValue: statement.text(o + 0)) ?? .request,
            timestampMillis: statement.int64(o + 1),
            requestID: statement.text(o + 2),
            attempt: statement.int(o + 3),
            upstreamRequestID: statement.optionalText(o + 4),
            client: statement.text(o + 5),
            taskType: statement.text(o + 6),
            confidenceMillis: statement.int(o + 7),
            classifierReason: statement.text(o + 8),
            modelRequested: statement.text(o + 9),
            modelUsed: statement.text(o + 10),
            tier: statement.text(o + 11),
            mode: UsageRecord.Mode(rawValue: statement.text(o + 12)) ?? .sync,
            status: statement.int(o + 13),
            errorType: statement.optionalText(o + 14),
            usage: TokenUsage(
                input: statement.int64(o + 15), output: statement.int64(o + 16), cacheWrite5m: statement.int64(o + 17),
                cacheWrite1h: statement.int64(o + 18), cacheRead: statement.int64(o + 19), webSearchRequests: statement.int64(o + 34)),
            usageEstimated: statement.int64(o + 20) != 0,
            cost: Money(nanoUSD: statement.int64(o + 21)),
            baselineCost: Money(nanoUSD: statement.int64(o + 22)),
            savedByRouting: Money(nanoUSD: statement.int64(o + 23)),
            savedByCaching: Money(nanoUSD: statement.int64(o + 24)),
            savedByBatching: Money(nanoUSD: statement.int64(o + 25)),
            priceVersion: statement.text(o + 26),
            policyHash: statement.text(o + 27),
            latencyMillis: statement.int(o + 28),
            upstreamLatencyMillis: statement.int(o + 29),
            queueWaitMillis: statement.int(o + 30),
            retries: statement.int(o + 31),
            cachePlan: statement.text(o + 32),
            deferral: statement.text(o + 33),
            savedByClientCache: Money(nanoUSD: statement.int64(o + 37)),
            webSearchCost: Money(nanoUSD: statement.int64(o + 35)),
            inferenceGeo: statement.optionalText(o + 36),
            cacheBy: UsageRecord.CacheOwner(rawValue: statement.text(o + 38)) ?? .none)
        record.difficulty = statement.text(o + 39)
        return record
    }
}
