package import RouterCore

/// Where `UsageRows.write` puts the columns of a row, one after the other.
package protocol UsageColumnSink {
    /// The next column is text, or NULL for nil.
    mutating func text(_ value: String?)
    /// The next column is an integer.
    mutating func integer(_ value: Int64)
}

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

    package static let selectSQL = "SELECT \(columns.joined(separator: ", ")) FROM usage"

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
        var sink = StatementSink(statement: insert)
        for row in rows {
            sink.reset()
            write(row, to: &sink)
            try sink.texts.run(insert)
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

    /// Hands the columns of `row` to `sink`, in `columns` order: the one list both stores write a row from.
    package static func write(_ row: UsageRecord, to sink: inout some UsageColumnSink) {
        sink.text(row.kind.rawValue)
        sink.integer(row.timestampMillis)
        sink.text(row.requestID)
        sink.integer(Int64(row.attempt))
        sink.text(row.upstreamRequestID)
        sink.text(row.client)
        sink.text(row.taskType)
        sink.integer(Int64(row.confidenceMillis))
        sink.text(row.classifierReason)
        sink.text(row.modelRequested)
        sink.text(row.modelUsed)
        sink.text(row.tier)
        sink.text(row.mode.rawValue)
        sink.integer(Int64(row.status))
        sink.text(row.errorType)
        sink.integer(row.usage.input)
        sink.integer(row.usage.output)
        sink.integer(row.usage.cacheWrite5m)
        sink.integer(row.usage.cacheWrite1h)
        sink.integer(row.usage.cacheRead)
        sink.integer(row.usageEstimated ? 1 : 0)
        sink.integer(row.cost.nanoUSD)
        sink.integer(row.baselineCost.nanoUSD)
        sink.integer(row.savedByRouting.nanoUSD)
        sink.integer(row.savedByCaching.nanoUSD)
        sink.integer(row.savedByBatching.nanoUSD)
        sink.text(row.priceVersion)
        sink.text(row.policyHash)
        sink.integer(Int64(row.latencyMillis))
        sink.integer(Int64(row.upstreamLatencyMillis))
        sink.integer(Int64(row.queueWaitMillis))
        sink.integer(Int64(row.retries))
        sink.text(row.cachePlan)
        sink.text(row.deferral)
        sink.integer(row.usage.webSearchRequests)
        sink.integer(row.webSearchCost.nanoUSD)
        sink.text(row.inferenceGeo)
        sink.integer(row.savedByClientCache.nanoUSD)
        sink.text(row.cacheBy.rawValue)
        sink.text(row.difficulty)
    }

    /// Binds columns to the insert statement in order: integers and NULLs at once, strings through the arena.
    private struct StatementSink: UsageColumnSink {
        let statement: Statement
        var texts = TextArena()
        var index: Int32 = 1

        /// Ready for the next row.
        mutating func reset() {
            texts.reset()
            index = 1
        }

        mutating func text(_ value: String?) {
            if let value { texts.add(value, at: index) } else { statement.bind(nil as String?, at: index) }
            index += 1
        }

        mutating func integer(_ value: Int64) {
            statement.bind(value, at: index)
            index += 1
        }
    }

    /// The rows in `[sinceMillis, untilMillis)` (open ends when nil), oldest first.
    package static func rows(sinceMillis: Int64?, untilMillis: Int64?, in reader: some SQLReader) throws(LedgerError)
        -> [UsageRecord]
    {
        try reader.rows(
            selectSQL + " WHERE ts >= ? AND ts < ? ORDER BY ts, id",
            [.integer(sinceMillis ?? Int64.min), .integer(untilMillis ?? Int64.max)]
        ) { read($0) }
    }

    /// Reads a row selected with `selectSQL` (columns in the same order, from `offset` on), in either store.
    package static func read(_ row: some SQLRow, offset o: Int = 0) -> UsageRecord {
        var record = UsageRecord(
            kind: UsageRecord.Kind(rawValue: row.text(o + 0)) ?? .request,
            timestampMillis: row.int64(o + 1),
            requestID: row.text(o + 2),
            attempt: row.int(o + 3),
            upstreamRequestID: row.optionalText(o + 4),
            client: row.text(o + 5),
            taskType: row.text(o + 6),
            confidenceMillis: row.int(o + 7),
            classifierReason: row.text(o + 8),
            modelRequested: row.text(o + 9),
            modelUsed: row.text(o + 10),
            tier: row.text(o + 11),
            mode: UsageRecord.Mode(rawValue: row.text(o + 12)) ?? .sync,
            status: row.int(o + 13),
            errorType: row.optionalText(o + 14),
            usage: TokenUsage(
                input: row.int64(o + 15), output: row.int64(o + 16), cacheWrite5m: row.int64(o + 17),
                cacheWrite1h: row.int64(o + 18), cacheRead: row.int64(o + 19), webSearchRequests: row.int64(o + 34)),
            usageEstimated: row.int64(o + 20) != 0,
            cost: Money(nanoUSD: row.int64(o + 21)),
            baselineCost: Money(nanoUSD: row.int64(o + 22)),
            savedByRouting: Money(nanoUSD: row.int64(o + 23)),
            savedByCaching: Money(nanoUSD: row.int64(o + 24)),
            savedByBatching: Money(nanoUSD: row.int64(o + 25)),
            priceVersion: row.text(o + 26),
            policyHash: row.text(o + 27),
            latencyMillis: row.int(o + 28),
            upstreamLatencyMillis: row.int(o + 29),
            queueWaitMillis: row.int(o + 30),
            retries: row.int(o + 31),
            cachePlan: row.text(o + 32),
            deferral: row.text(o + 33),
            savedByClientCache: Money(nanoUSD: row.int64(o + 37)),
            webSearchCost: Money(nanoUSD: row.int64(o + 35)),
            inferenceGeo: row.optionalText(o + 36),
            cacheBy: UsageRecord.CacheOwner(rawValue: row.text(o + 38)) ?? .none)
        record.difficulty = row.text(o + 39)
        return record
    }
}
