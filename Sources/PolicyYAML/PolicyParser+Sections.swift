import ClaudeAPI
import Foundation
import RouterCore
import Yams

extension PolicyParser {
    // MARK: clients.yaml

    func parseClients() {
        let file = "clients.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(["clients", "budget_alert_url"], in: file)
        let defaultAlertURL = alertURL(top, "budget_alert_url", file: file)
        var names: [String: Int] = [:]
        var hashes: [String: Int] = [:]
        for c in top.mappingList("clients", required: true, what: "a client") {
            c.allowOnly(
                [
                    "name", "key_sha256", "allowed_tiers", "allowed_models", "budget", "default_priority", "role",
                    "log_prompts",
                ], in: "a client")
            let name = c.string("name", required: true)
            if let name {
                if let line = names[name] {
                    diag.error(file, c.value("name")?.mark, "client '\(name)' is defined twice (also at line \(line))")
                }
                names[name] = c.value("name")?.mark?.line ?? 0
            }
            var hash = c.string("key_sha256", required: true)?.lowercased()
            if let h = hash {
                if h.count != 64
                    || !h.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
                {
                    diag.error(
                        file, c.value("key_sha256")?.mark,
                        "'key_sha256' must be 64 hex digits (printf '%s' KEY | sha256sum), never the key itself")
                    hash = nil
                } else if let line = hashes[h] {
                    diag.error(
                        file, c.value("key_sha256")?.mark, "two clients share one key hash (also at line \(line))")
                } else {
                    hashes[h] = c.value("key_sha256")?.mark?.line ?? 0
                }
            }
            var tiers: [Tier] = []
            for (t, mark) in c.stringList("allowed_tiers") ?? [] {
                if let tier = Tier(rawValue: t) {
                    tiers.append(tier)
                } else {
                    unknown("tier", t, file, mark, among: Tier.allCases.map(\.rawValue))
                }
            }
            var allowedModels: [String] = []
            for (m, mark) in c.stringList("allowed_models") ?? [] {
                if let id = modelIndex[m] {
                    allowedModels.append(id)
                    if !tiers.isEmpty, let model = models.first(where: { $0.id == id }), !tiers.contains(model.tier) {
                        diag.error(
                            file, mark, "model '\(m)' is a \(model.tier) model, outside the client's allowed_tiers")
                    }
                } else if modelsKnown {
                    unknown("model", m, file, mark, among: Array(modelIndex.keys))
                }
            }
            var budget: BudgetConfig?
            var alertURL = defaultAlertURL
            if let b = c.mapping("budget", what: "'budget'") {
                b.allowOnly(
                    [
                        "daily_usd", "monthly_usd", "soft_limit_percent", "soft_action", "hard_limit", "reserve_output",
                        "task_types", "alert_url",
                    ],
                    in: "'budget'")
                if let own = self.alertURL(b, "alert_url", file: file) { alertURL = own }
                var config = parseBudget(b, inheriting: BudgetConfig(), file: file)
                if let types = b.mapping("task_types", what: "'task_types'") {
                    for pair in types.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                        guard checkTaskType(pair.key, file, pair.keyNode.mark) else { continue }
                        guard
                            let t = MapReader(
                                pair.value, file: file, diag: diag, what: "the budget of task type '\(pair.key)'")
                        else { continue }
                        t.allowOnly(
                            [
                                "daily_usd", "monthly_usd", "soft_limit_percent", "soft_action", "hard_limit",
                                "reserve_output",
                            ],
                            in: "the budget of task type '\(pair.key)'")
                        let typeBudget = parseBudget(t, inheriting: config, file: file)
                        if typeBudget.daily == nil, typeBudget.monthly == nil {
                            diag.error(
                                file, pair.keyNode.mark,
                                "the budget of task type '\(pair.key)' needs 'daily_usd' or 'monthly_usd'")
                            continue
                        }
                        config.taskTypes[pair.key] = typeBudget
                    }
                }
                budget = config
            }
            let priority = c.oneOf("default_priority", ClientSpec.Priority.self) ?? .interactive
            let role = c.oneOf("role", ClientSpec.Role.self) ?? .client
            let logPrompts = c.bool("log_prompts") ?? false
            guard let name, let hash else { continue }
            let client = ClientSpec(
                name: name, keySHA256: hash, allowedTiers: tiers, allowedModels: allowedModels, budget: budget,
                defaultPriority: priority, role: role, logPrompts: logPrompts,
                budgetAlertURL: budget == nil ? nil : alertURL)
            if modelsKnown, !models.isEmpty, !models.contains(where: client.allows) {
                diag.error(
                    file, c.node.mark,
                    "client '\(name)' may use no model: its allowed tiers and models exclude every model")
            }
            clients.append(client)
        }
        clientsKnown = true
    }

    /// A budget alert address (`budget_alert_url`, `alert_url`): an absolute http(s) URL with a host, no user
    /// info, at most 2048 bytes. Where it may point is checked at each delivery, against batches.yaml's callback
    /// rules (the address it resolves to), as for task callbacks.
    func alertURL(_ map: MapReader, _ key: String, file: String) -> String? {
        guard let url = map.string(key) else { return nil }
        let components = URLComponents(string: url)
        let scheme = components?.scheme?.lowercased()
        guard url.utf8.count <= 2048, let components, scheme == "http" || scheme == "https",
            components.user == nil, components.password == nil, !(components.host ?? "").isEmpty
        else {
            diag.error(
                file, map.value(key)?.mark,
                "'\(key)' must be an absolute http(s) URL with a host and no user info (at most 2048 bytes)")
            return nil
        }
        return url
    }

    /// A budget's limits and soft/hard settings; settings it omits come from `parent` (a task type's budget
    /// inherits its client's), limits never do.
    func parseBudget(_ b: MapReader, inheriting parent: BudgetConfig, file: String) -> BudgetConfig {
        var config = BudgetConfig(
            daily: b.money("daily_usd"), monthly: b.money("monthly_usd"), softLimitPercent: parent.softLimitPercent,
            softAction: parent.softAction, hardLimit: parent.hardLimit, reserveOutput: parent.reserveOutput)
        if let r = b.oneOf("reserve_output", BudgetConfig.ReserveOutput.self) { config.reserveOutput = r }
        if let p = b.int("soft_limit_percent", min: 1) {
            if p > 100 {
                diag.error(
                    file, b.value("soft_limit_percent")?.mark, "'soft_limit_percent' must be at most 100, found \(p)")
            }
            config.softLimitPercent = p
        }
        if let a = b.oneOf("soft_action", BudgetConfig.SoftAction.self) { config.softAction = a }
        if let h = b.bool("hard_limit") { config.hardLimit = h }
        return config
    }

    // MARK: classifier.yaml

    func parseClassifier() {
        let file = "classifier.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(
            ["default_task_type", "default_confidence", "confidence_floor", "safe_tier", "statistical", "rules"],
            in: file)
        let defaultType = top.string("default_task_type", required: true) ?? ""
        if !defaultType.isEmpty { checkTaskType(defaultType, file, top.value("default_task_type")?.mark) }
        var config = ClassifierConfig(rules: [], defaultTaskType: defaultType)
        if let v = top.fraction("default_confidence") { config.defaultConfidence = v }
        if let v = top.fraction("confidence_floor") { config.confidenceFloor = v }
        if let v = top.tier("safe_tier") { config.safeTier = v }
        if let s = top.mapping("statistical", what: "'statistical'") {
            s.allowOnly(["enabled", "examples"], in: "'statistical'")
            if let v = s.bool("enabled") { config.statisticalEnabled = v }
            if let v = s.string("examples") { config.examplesDirectory = v }
        }
        var ruleNames: [String: Int] = [:]
        for r in top.mappingList("rules", what: "a rule") {
            r.allowOnly(["name", "task_type", "confidence", "when"], in: "a rule")
            let name = r.string("name", required: true)
            if let name {
                if let line = ruleNames[name] {
                    diag.error(file, r.value("name")?.mark, "rule '\(name)' is defined twice (also at line \(line))")
                }
                ruleNames[name] = r.value("name")?.mark?.line ?? 0
            }
            let taskType = r.string("task_type", required: true)
            if let taskType { checkTaskType(taskType, file, r.value("task_type")?.mark) }
            var rule = ClassifierRule(
                name: name ?? "", taskType: taskType ?? "", confidence: r.fraction("confidence") ?? 0.9)
            if let w = r.mapping("when", what: "'when'") {
                w.allowOnly(
                    [
                        "user_words", "user_patterns", "system_words", "system_patterns", "tools", "images",
                        "documents",
                        "min_input_tokens", "max_input_tokens", "min_turns", "max_turns", "clients", "metadata",
                    ],
                    in: "'when'")
                rule.userText = textPattern(w, words: "user_words", patterns: "user_patterns")
                rule.systemText = textPattern(w, words: "system_words", patterns: "system_patterns")
                rule.toolsPresent = w.bool("tools")
                rule.imagesPresent = w.bool("images")
                rule.documentsPresent = w.bool("documents")
                rule.minInputTokens = w.int("min_input_tokens")
                rule.maxInputTokens = w.int("max_input_tokens")
                rule.minTurns = w.int("min_turns").map(Int.init)
                rule.maxTurns = w.int("max_turns").map(Int.init)
                for (client, mark) in w.stringList("clients") ?? [] {
                    if clientsKnown, !clients.contains(where: { $0.name == client }) {
                        unknown("client", client, file, mark, among: clients.map(\.name))
                    }
                    rule.clients.append(client)
                }
                if let meta = w.mapping("metadata", what: "'metadata'") {
                    for pair in meta.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                        if let s = pair.value.scalar {
                            rule.metadata[pair.key] = s.string
                        } else {
                            diag.error(
                                file, pair.value.mark, "metadata values must be text, found \(pair.value.kindName)")
                        }
                    }
                }
            }
            config.rules.append(rule)
        }
        classifier = config
    }

    /// The combined pattern of a place's words and regexes ("any of them"), reporting each regex that fails.
    func textPattern(_ w: MapReader, words: String, patterns: String) -> TextPattern? {
        var alternatives: [String] = []
        for (word, mark) in w.stringList(words) ?? [] {
            if word.trimmingCharacters(in: .whitespaces).isEmpty {
                diag.error(w.file, mark, "'\(words)' must not contain empty words")
                continue
            }
            alternatives.append("\\b(?:\(NSRegularExpression.escapedPattern(for: word)))\\b")
        }
        for (pattern, mark) in w.stringList(patterns) ?? [] {
            if let problem = TextPattern.compileError(pattern) {
                diag.error(w.file, mark, problem)
                continue
            }
            alternatives.append("(?:\(pattern))")
        }
        guard !alternatives.isEmpty else { return nil }
        return try? TextPattern(pattern: alternatives.joined(separator: "|"))
    }

    // MARK: examples/*.jsonl

    func parseExamples() {
        let dir =
            classifier.examplesDirectory.hasSuffix("/")
            ? classifier.examplesDirectory : classifier.examplesDirectory + "/"
        for file in files where file.name.hasPrefix(dir) && file.name.hasSuffix(".jsonl") {
            var lineNumber = 0
            for line in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                // The same skipping rules as `TrainingExamples.parseJSONL`: blank lines and comments.
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
                let mark = Loc(lineNumber, 1)
                guard let value = try? JSONValue.parse(String(trimmed)), let object = value.objectValue else {
                    diag.error(file.name, mark, "each line must be a JSON object {\"text\": ..., \"label\": ...}")
                    continue
                }
                guard let text = object["text"]?.stringValue,
                    let label = object["label"]?.stringValue?.trimmingCharacters(in: .whitespaces), !label.isEmpty
                else {
                    diag.error(file.name, mark, "each line needs text values \"text\" and \"label\"")
                    continue
                }
                if checkTaskType(label, file.name, mark) { examples.append((text, label)) }
            }
        }
    }

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
