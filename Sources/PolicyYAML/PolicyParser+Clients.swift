import Foundation
import RouterCore
import Yams

// clients.yaml: keys, budgets, alerts.
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
}
