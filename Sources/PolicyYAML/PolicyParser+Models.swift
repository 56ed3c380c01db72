import RouterCore
import Yams

// limits.yaml, models.yaml and task-types.yaml: what every later section refers to.
extension PolicyParser {
    // MARK: limits.yaml

    func parseLimits() {
        let file = "limits.yaml"
        guard present.contains(file) else { return }
        guard let top = root(file) else { return }
        top.allowOnly(["buckets", "headroom_percent", "upstream_may_raise", "queue", "retries"], in: file)
        var buckets: [String: LimitsConfig.Bucket] = [:]
        if let map = top.mapping("buckets", required: true, what: "'buckets'") {
            for pair in map.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                bucketNames.insert(pair.key)
                guard let b = MapReader(pair.value, file: file, diag: diag, what: "bucket '\(pair.key)'") else {
                    continue
                }
                b.allowOnly(["rpm", "itpm", "otpm"], in: "bucket '\(pair.key)'")
                if let rpm = b.int("rpm", required: true, min: 1), let itpm = b.int("itpm", required: true, min: 1),
                    let otpm = b.int("otpm", required: true, min: 1)
                {
                    buckets[pair.key] = .init(
                        name: pair.key, requestsPerMinute: rpm, inputTokensPerMinute: itpm, outputTokensPerMinute: otpm)
                }
            }
        }
        var config = LimitsConfig(buckets: buckets)
        if let v = top.int("headroom_percent", max: 90, why: "the share of each limit kept unused", showFound: true) {
            config.headroomPercent = v
        }
        if let raise = top.bool("upstream_may_raise") { config.upstreamMayRaise = raise }
        if let q = top.mapping("queue", what: "'queue'") {
            q.allowOnly(["max_queued_requests", "max_wait_ms"], in: "'queue'")
            if let v = q.int("max_queued_requests", min: 0) { config.maxQueuedRequests = Int(v) }
            if let v = q.int("max_wait_ms", min: 0) { config.maxQueueWaitMillis = v }
        }
        if let r = top.mapping("retries", what: "'retries'") {
            r.allowOnly(["max_attempts", "base_backoff_ms", "max_backoff_ms", "max_retry_after_ms"], in: "'retries'")
            if let v = r.int("max_attempts", min: 1) { config.retries.maxAttempts = Int(v) }
            if let v = r.int("base_backoff_ms", min: 0) { config.retries.baseBackoffMillis = v }
            if let v = r.int("max_backoff_ms", min: 0) { config.retries.maxBackoffMillis = v }
            if let v = r.int("max_retry_after_ms", min: 0) { config.retries.maxRetryAfterMillis = v }
            if config.retries.maxBackoffMillis < config.retries.baseBackoffMillis {
                diag.error(
                    file, r.keyMark("max_backoff_ms"), "'max_backoff_ms' must not be less than 'base_backoff_ms'")
            }
        }
        limits = config
        bucketsKnown = true
    }

    // MARK: models.yaml

    func parseModels() {
        let file = "models.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(["defaults", "models"], in: file)
        var idMarks: [String: Mark?] = [:]
        for m in top.mappingList("models", required: true, what: "a model") {
            m.allowOnly(
                [
                    "id", "aliases", "tier", "context_window", "max_output_tokens", "min_cacheable_tokens",
                    "rate_limit_bucket", "prices", "manual_thinking",
                ], in: "a model")
            let id = m.string("id", required: true)
            let tier = m.tier("tier", required: true)
            let context = m.int("context_window", required: true, min: 1)
            let maxOut = m.int("max_output_tokens", required: true, min: 1)
            let minCache = m.int("min_cacheable_tokens", required: true, min: 0)
            let bucket = m.string("rate_limit_bucket", required: true)
            let manualThinking = m.bool("manual_thinking") ?? false
            if let bucket, bucketsKnown, !bucketNames.contains(bucket) {
                unknown(
                    "rate-limit bucket", bucket, file, m.value("rate_limit_bucket")?.mark,
                    among: Array(bucketNames))
            }
            var names: [(String, Mark?)] = []
            if let id { names.append((id, m.value("id")?.mark)) }
            names += m.stringList("aliases") ?? []
            for (name, mark) in names {
                if let other = idMarks[name] {
                    diag.error(
                        file, mark,
                        "'\(name)' already names another model (line \(other?.line ?? 0)); ids and aliases must be unique"
                    )
                } else {
                    idMarks[name] = mark
                }
            }
            let prices = parsePrices(m, file: file)
            // Register the names even when the model has errors, so references to it are not reported again.
            if let id { for (name, _) in names where modelIndex[name] == nil { modelIndex[name] = id } }
            guard let id, let tier, let context, let maxOut, let minCache, let bucket, let prices else { continue }
            models.append(
                ModelSpec(
                    id: id, aliases: names.dropFirst().map(\.0), tier: tier, contextWindow: context,
                    maxOutputTokens: maxOut, minCacheableTokens: minCache, rateLimitBucket: bucket, prices: prices,
                    manualThinking: manualThinking))
        }
        // Defaults: one model per tier, of that tier. A tier without any model is an error too.
        let defaults = top.mapping("defaults", required: true, what: "'defaults'")
        defaults?.allowOnly(Tier.allCases.map(\.rawValue), in: "'defaults'")
        for tier in Tier.allCases {
            guard let defaults else { break }
            guard let name = defaults.string(tier.rawValue) else {
                let hasModel = models.contains { $0.tier == tier }
                diag.error(
                    file, defaults.node.mark,
                    hasModel
                        ? "tier \(tier) has no default model; add '\(tier): <model id>' under defaults"
                        : "tier \(tier) has no model; add a model with 'tier: \(tier)' and name it under defaults")
                continue
            }
            let mark = defaults.value(tier.rawValue)?.mark
            guard let id = modelIndex[name] else {
                if idMarks[name] == nil { unknown("model", name, file, mark, among: Array(modelIndex.keys)) }
                continue
            }
            // A model with errors of its own is already reported; only a valid one can be of the wrong tier.
            guard let model = models.first(where: { $0.id == id }) else { continue }
            guard model.tier == tier else {
                diag.error(file, mark, "the default \(tier) model '\(name)' is not a \(tier) model")
                continue
            }
            tierDefaults[tier] = id
        }
        modelsKnown = true
    }

    func parsePrices(_ m: MapReader, file: String) -> [ModelPrice]? {
        guard let list = m.value("prices", required: true) else { return nil }
        guard let seq = list.sequence, !seq.isEmpty else {
            diag.error(file, list.mark, "'prices' must be a list of dated prices with at least one entry")
            return nil
        }
        var prices: [ModelPrice] = []
        var starts: [Day: Mark?] = [:]
        var ok = true
        for item in seq {
            guard let p = MapReader(item, file: file, diag: diag, what: "a price") else {
                ok = false
                continue
            }
            p.allowOnly(
                [
                    "from", "input", "output", "cache_write_5m", "cache_write_1h", "cache_read", "batch_percent",
                    "web_search_per_1k", "inference_geo_percent",
                ],
                in: "a price")
            var from: Day?
            if let text = p.string("from", required: true) {
                from = Day(iso: text)
                if from == nil {
                    diag.error(file, p.value("from")?.mark, "'from' must be a date as YYYY-MM-DD, found '\(text)'")
                }
            }
            if let from {
                if let other = starts[from] {
                    diag.error(
                        file, p.value("from")?.mark,
                        "price periods overlap: another price of this model also starts on \(from) (line \(other?.line ?? 0))"
                    )
                    ok = false
                }
                starts[from] = p.value("from")?.mark
            }
            let input = p.price("input", required: true)
            let output = p.price("output", required: true)
            let w5 = p.price("cache_write_5m")
            let w1 = p.price("cache_write_1h")
            let read = p.price("cache_read")
            var batch: Int64 = 50
            if let b = p.int("batch_percent", min: 1, max: 100, showFound: true) { batch = b }
            let webSearch = p.money("web_search_per_1k")
            let geo = parseGeoPercent(p, file: file)
            let anyBad =
                (p.value("web_search_per_1k") != nil && webSearch == nil) || geo == nil
                || (p.value("cache_write_5m") != nil && w5 == nil) || (p.value("cache_write_1h") != nil && w1 == nil)
                || (p.value("cache_read") != nil && read == nil)
            guard let from, let input, let output, let geo, !anyBad else {
                ok = false
                continue
            }
            prices.append(
                ModelPrice(
                    effectiveFrom: from, input: input, output: output, cacheWrite5m: w5, cacheWrite1h: w1,
                    cacheRead: read, batchPercent: batch,
                    webSearchPerThousand: webSearch ?? ModelPrice.apiWebSearchPerThousand, geoPercent: geo))
        }
        return ok ? prices : nil
    }

    /// A price's `inference_geo_percent` map (`{us: 110}`): the token-price multiplier per geo, in percent
    /// (1…1000); `{}` when absent, nil after an error.
    func parseGeoPercent(_ p: MapReader, file: String) -> [String: Int64]? {
        guard p.value("inference_geo_percent") != nil else { return [:] }
        guard let map = p.mapping("inference_geo_percent", what: "'inference_geo_percent'") else { return nil }
        var result: [String: Int64] = [:]
        var ok = true
        for pair in map.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
            guard let percent = map.int(pair.key, min: 1) else {
                ok = false
                continue
            }
            if percent > 1000 {
                diag.error(file, pair.value.mark, "'\(pair.key)' must be a percentage of at most 1000, found \(percent)")
                ok = false
            }
            result[pair.key] = percent
        }
        return ok ? result : nil
    }

    // MARK: task-types.yaml

    func parseTaskTypes() {
        let file = "task-types.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(["task_types"], in: file)
        guard let map = top.mapping("task_types", required: true, what: "'task_types'") else { return }
        for pair in map.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
            let name = pair.key
            if name.isEmpty
                || !name.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
                })
            {
                diag.error(file, pair.keyNode.mark, "task type names use a-z, 0-9, '_' and '-', found '\(name)'")
            }
            taskTypeNames.insert(name)
            guard let t = MapReader(pair.value, file: file, diag: diag, what: "task type '\(name)'") else { continue }
            t.allowOnly(["tier", "deferrable", "expected_output_tokens", "description"], in: "task type '\(name)'")
            var tier: Tier?
            var tiers: [Difficulty: Tier]?
            if t.value("tier")?.scalar == nil, let map = t.mapping("tier", what: "'tier' of task type '\(name)'") {
                map.allowOnly(Difficulty.allCases.map(\.rawValue), in: "'tier' of task type '\(name)'")
                var byDifficulty: [Difficulty: Tier] = [:]
                for difficulty in Difficulty.allCases {
                    if let tier = map.tier(difficulty.rawValue, required: true) { byDifficulty[difficulty] = tier }
                }
                if byDifficulty.count == Difficulty.allCases.count {
                    let ordered = Difficulty.allCases.compactMap { byDifficulty[$0] }
                    if ordered != ordered.sorted() {
                        diag.error(
                            file, map.node.mark,
                            "the tiers of task type '\(name)' must not go down as difficulty goes up, found "
                                + Difficulty.allCases.map { "\($0): \(byDifficulty[$0]!)" }.joined(separator: ", "))
                    } else {
                        tiers = byDifficulty
                        tier = byDifficulty[.standard]
                    }
                }
            } else {
                tier = t.tier("tier", required: true)
            }
            let deferrable = t.bool("deferrable") ?? false
            let expected = t.int("expected_output_tokens", min: 1) ?? 500
            let description = t.string("description") ?? ""
            if let tier {
                taskTypes.append(
                    TaskTypeSpec(
                        name: name, tier: tier, tiers: tiers, deferrable: deferrable, expectedOutputTokens: expected,
                        description: description))
            }
        }
        if map.keys.isEmpty { diag.error(file, map.node.mark, "'task_types' must define at least one task type") }
        taskTypesKnown = true
    }

    /// Checks a task-type reference; true when it exists (or cannot be checked).
    @discardableResult
    func checkTaskType(_ name: String, _ file: String, _ mark: (any Positioned)?) -> Bool {
        guard taskTypesKnown, !taskTypeNames.contains(name) else { return true }
        unknown("task type", name, file, mark, among: Array(taskTypeNames))
        return false
    }
}
