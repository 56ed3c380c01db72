import RouterCore
import Yams

// routing.yaml, cache.yaml and batches.yaml.
extension PolicyParser {
    // MARK: routing.yaml

    func parseRouting() {
        let file = "routing.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(
            [
                "explicit_model", "baseline_tier", "baseline_model", "unknown_models", "floors", "fallbacks",
                "difficulty_model", "quality_bias", "sticky_conversations",
            ], in: file)
        var config = RoutingConfig()
        if let v = top.oneOf("explicit_model", RoutingConfig.ExplicitModel.self) { config.explicitModel = v }
        if let v = top.oneOf("difficulty_model", DifficultyModelSetting.self) { config.difficultyModel = v == .builtin }
        if let node = top.value("quality_bias") {
            if let name = node.scalar?.string, let preset = RoutingConfig.QualityPreset(rawValue: name) {
                config.qualityBias = preset.bias
            } else if let name = node.scalar?.string, Double(name) == nil {
                let presets = RoutingConfig.QualityPreset.allCases.map(\.rawValue)
                var message =
                    "'quality_bias' must be a number between 0 and 1 or one of \(presets.joined(separator: ", ")), found '\(name)'"
                if let hint = EditDistance.suggestion(for: name, among: presets) { message += "; did you mean '\(hint)'?" }
                diag.error(file, node.mark, message)
            } else if let v = top.fraction("quality_bias") {
                config.qualityBias = v
            }
        }
        if let v = top.int("sticky_conversations", max: 10_000_000) { config.stickyConversations = Int(v) }
        if let v = top.tier("baseline_tier") { config.baselineTier = v }
        if let v = top.oneOf("unknown_models", RoutingConfig.UnknownModels.self) { config.unknownModels = v }
        if let id = top.string("baseline_model") {
            if top.value("baseline_tier") != nil {
                diag.error(file, top.value("baseline_model")?.mark, "set 'baseline_model' or 'baseline_tier', not both")
            } else if modelsKnown, modelIndex[id] == nil {
                unknown("model", id, file, top.value("baseline_model")?.mark, among: Array(modelIndex.keys))
            } else {
                config.baselineModel = id
            }
        }
        for f in top.mappingList("floors", what: "a floor") {
            f.allowOnly(["name", "when", "at_least"], in: "a floor")
            let name = f.string("name", required: true)
            let atLeast = f.tier("at_least", required: true)
            var floor = RoutingConfig.Floor(name: name ?? "", atLeast: atLeast ?? .haiku)
            if let w = f.mapping("when", what: "'when'") {
                w.allowOnly(["min_input_tokens", "tools", "images", "documents", "min_turns"], in: "'when'")
                floor.minInputTokens = w.int("min_input_tokens")
                floor.tools = w.bool("tools")
                floor.images = w.bool("images")
                floor.documents = w.bool("documents")
                floor.minTurns = w.int("min_turns").map(Int.init)
            }
            if name != nil, atLeast != nil { config.floors.append(floor) }
        }
        for f in top.mappingList("fallbacks", what: "a fallback") {
            f.allowOnly(["from", "to", "on"], in: "a fallback")
            let from = f.tier("from", required: true)
            let to = f.tier("to", required: true)
            let on = (f.stringList("on", required: true) ?? []).map(\.0)
            if let from, let to, from == to {
                diag.error(file, f.value("to")?.mark, "a fallback must go to another tier, found \(from) → \(to)")
            }
            if let from, let to { config.fallbacks.append(.init(from: from, to: to, on: on)) }
        }
        routing = config
    }

    // MARK: cache.yaml, batches.yaml

    /// The keys of `cache.yaml` before the planner's shape, with what replaces each: named in the error so an
    /// old file is migrated in one read.
    static let retiredCacheKeys: [String: String] = [
        "enabled": "'mode: auto' (or 'off')",
        "default_ttl": "'force_ttl' (used by 'mode: force'; 'auto' picks the TTL from observed reuse)",
        "cache_tools": "'mode' (the planner decides per boundary whether tools, system or history pay)",
        "cache_system": "'mode' (the planner decides per boundary whether tools, system or history pay)",
        "cache_history": "'mode' (the planner decides per boundary whether tools, system or history pay)",
        "one_hour_after_seconds": "'allow_one_hour' (the planner picks 1h from the observed gaps between reuses)",
        "respect_client_breakpoints": "nothing: the client's own cache_control markers are always kept",
    ]

    func parseCache() {
        let file = "cache.yaml"
        guard let top = root(file) else { return }
        let known = [
            "mode", "clients", "task_types", "table_capacity", "half_life_seconds", "min_expected_reuses",
            "speculative_margin", "force_ttl", "allow_one_hour", "max_breakpoints",
        ]
        top.allowOnly(known, in: file, retired: Self.retiredCacheKeys)
        var c = CachePolicy()
        if let v = top.oneOf("mode", CachePolicy.Mode.self) { c.mode = v }
        if let map = top.mapping("clients", what: "'clients'") {
            for pair in map.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                if clientsKnown, !clients.contains(where: { $0.name == pair.key }) {
                    unknown("client", pair.key, file, pair.keyNode.mark, among: clients.map(\.name))
                }
                if let mode = map.oneOf(pair.key, CachePolicy.Mode.self) { c.clientModes[pair.key] = mode }
            }
        }
        if let map = top.mapping("task_types", what: "'task_types'") {
            for pair in map.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                checkTaskType(pair.key, file, pair.keyNode.mark)
                if let mode = map.oneOf(pair.key, CachePolicy.Mode.self) { c.taskTypeModes[pair.key] = mode }
            }
        }
        if let v = top.int("table_capacity", min: 8, max: 100_000_000) { c.tableCapacity = Int(v) }
        if let v = top.int("half_life_seconds", min: 1) { c.halfLifeSeconds = Int(v) }
        if let v = top.value("min_expected_reuses") {
            let text = v.scalar?.string ?? ""
            if let milli = Self.thousandths(text), milli <= Int(ReuseEstimate.maxHits) * 1000 {
                c.minExpectedReusesMilli = milli
            } else {
                diag.error(
                    file, v.mark,
                    "'min_expected_reuses' must be a number of cache hits from 0 to \(Int(ReuseEstimate.maxHits))"
                        + " with at most three decimals, found '\(text)'")
            }
        }
        if let v = top.value("speculative_margin") {
            let text = v.scalar?.string ?? ""
            if let milli = Self.thousandths(text), (1_000...20_000).contains(milli) {
                c.speculativeMarginMilli = milli
            } else {
                diag.error(
                    file, v.mark,
                    "'speculative_margin' must be a multiple of break-even from 1 to 20 with at most three decimals,"
                        + " found '\(text)'")
            }
        }
        if let v = top.oneOf("force_ttl", CacheTTL.self) { c.forceTTL = v }
        if let v = top.bool("allow_one_hour") { c.allowOneHour = v }
        if let v = top.int("max_breakpoints", max: 4, why: "the API's limit per request", showFound: true) {
            c.maxBreakpoints = Int(v)
        }
        cache = c
    }

    /// A non-negative decimal with at most three decimals, in thousandths ("1.25" → 1250); nil otherwise.
    static func thousandths(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, !parts[0].hasPrefix("+"),
            whole <= 1_000_000
        else { return nil }
        var milli = whole * 1000
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...3).contains(fraction.count), fraction.allSatisfy(\.isASCII), let digits = Int(fraction),
                digits >= 0, !fraction.hasPrefix("+"), !fraction.hasPrefix("-")
            else { return nil }
            milli += digits * [1, 100, 10, 1][fraction.count]
        }
        return milli
    }

    func parseBatches() {
        let file = "batches.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(
            [
                "enabled", "max_batch_size", "max_wait_seconds", "poll_interval_seconds", "max_poll_interval_seconds",
                "min_deadline_seconds", "defer_background", "max_pending_per_client", "max_attempts",
                "callback_timeout_seconds", "callback_max_attempts", "max_sync_runs", "callback_allow_hosts",
                "callback_allow_private",
            ], in: file)
        var b = BatchConfig()
        if let v = top.bool("enabled") { b.enabled = v }
        if let v = top.int("max_batch_size", min: 1) {
            if v > 100_000 {
                diag.error(
                    file, top.value("max_batch_size")?.mark, "'max_batch_size' must be at most 100000 (the API's limit)"
                )
            }
            b.maxBatchSize = Int(v)
        }
        if let v = top.int("max_wait_seconds") { b.maxWaitSeconds = v }
        if let v = top.int("poll_interval_seconds", min: 1) { b.pollIntervalSeconds = v }
        if let v = top.int("max_poll_interval_seconds", min: 1) { b.maxPollIntervalSeconds = v }
        if b.maxPollIntervalSeconds < b.pollIntervalSeconds {
            diag.error(
                file, (top.value("max_poll_interval_seconds") ?? top.value("poll_interval_seconds"))?.mark,
                "'max_poll_interval_seconds' (\(b.maxPollIntervalSeconds)) must be at least 'poll_interval_seconds'"
                    + " (\(b.pollIntervalSeconds))")
        }
        if let v = top.int("min_deadline_seconds") { b.minDeadlineSeconds = v }
        if let v = top.bool("defer_background") { b.deferBackground = v }
        if let v = top.int("max_pending_per_client", min: 1) { b.maxPendingPerClient = Int(v) }
        if let v = top.int("max_attempts", min: 1) {
            if v > 100 { diag.error(file, top.value("max_attempts")?.mark, "'max_attempts' must be at most 100") }
            b.maxAttempts = Int(v)
        }
        if let v = top.int("callback_timeout_seconds", min: 1) { b.callbackTimeoutSeconds = v }
        if let v = top.int("callback_max_attempts", min: 1) {
            if v > 100 {
                diag.error(
                    file, top.value("callback_max_attempts")?.mark, "'callback_max_attempts' must be at most 100")
            }
            b.callbackMaxAttempts = Int(v)
        }
        if let v = top.int("max_sync_runs", min: 1) {
            if v > 64 { diag.error(file, top.value("max_sync_runs")?.mark, "'max_sync_runs' must be at most 64") }
            b.maxSyncRuns = Int(v)
        }
        var hosts: [String] = []
        for (host, mark) in top.stringList("callback_allow_hosts") ?? [] {
            let trimmed = host
            if trimmed.isEmpty || trimmed.contains(where: { $0 == "/" || $0 == "@" || $0 == " " || $0 == "*" }) {
                diag.error(
                    file, mark, "'callback_allow_hosts' takes host names or addresses (no scheme, path or wildcard), "
                        + "found '\(host)'")
                continue
            }
            hosts.append(trimmed)
        }
        b.callbacks = CallbackPolicy(
            allowHosts: hosts, allowPrivate: top.bool("callback_allow_private") ?? false)
        batches = b
    }
}

/// The values of `difficulty_model` in routing.yaml.
enum DifficultyModelSetting: String, CaseIterable {
    /// The shipped router model (`RouterModel.builtin`).
    case builtin
    /// No difficulty: each task type's `standard` tier.
    case off
}
