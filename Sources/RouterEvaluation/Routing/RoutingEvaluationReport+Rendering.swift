import Foundation
public import ClaudeAPI
import RouterCore

extension RoutingEvaluationReport {
    /// The report as text for `claude-router policy eval`.
    public func text(misroutes limit: Int = 10) -> String {
        var lines: [String] = []
        lines.append("labelled requests: \(count) (\(count(everyday: true)) everyday), refused by the router: \(refused)")
        lines.append(
            "acceptable tier:   \(percent(acceptableRate)) (\(acceptableCount)/\(count))   strict accuracy: "
                + "\(percent(strictAccuracy)) (\(exactCount)/\(count))")
        lines.append(
            "opus-labelled sent to haiku: \(opusToHaiku)/\(opusLabelled) (\(percent(opusToHaikuRate)))   "
                + "under-served: \(underServed)   over-served: \(overServed)")
        lines.append("one-line questions sent to opus: \(shortQuestionsToOpus.count)")
        lines.append("")
        lines.append("cost (estimated, uncached)     all                 everyday")
        let rows: [(String, Money, Money)] =
            [("routed", routedCost(), routedCost(everyday: true))]
            + Tier.allCases.map { ("always \($0)", cost(always: $0), cost(always: $0, everyday: true)) }
        for (name, all, everyday) in rows {
            lines.append(
                pad(name, 22) + pad("$" + all.dollars(decimals: 4), 20) + "$" + everyday.dollars(decimals: 4))
        }
        lines.append(
            "saving vs always sonnet: \(percent(saving(against: .sonnet))) (everyday \(percent(saving(against: .sonnet, everyday: true))))"
                + "   vs always opus: \(percent(saving(against: .opus)))")
        lines.append("")
        lines.append("confusion (rows: labelled least tier, columns: routed tier)")
        lines.append(pad("", 10) + Tier.allCases.map { pad($0.rawValue, 8) }.joined())
        let m = confusion
        for label in Tier.allCases {
            lines.append(pad(label.rawValue, 10) + Tier.allCases.map { pad(String(m[label]?[$0] ?? 0), 8) }.joined())
        }
        let worst = worstMisroutes(limit: limit)
        if !worst.isEmpty {
            lines.append("")
            lines.append("worst misroutes")
            for o in worst {
                let d = o.decision
                let p = d?.difficultyProbabilities.map { String(format: "%.2f", $0) }.joined(separator: "/") ?? "-"
                lines.append(
                    "  \(o.label.id): labelled \(o.label.tier) (acceptable \(o.label.acceptable.sorted().map(\.rawValue).joined(separator: ","))) → \(o.tier)"
                        + "; \(d?.classification.taskType ?? "-"), difficulty \(d?.difficulty?.rawValue ?? "-") p=\(p)")
                if let d { lines.append("      features: \(d.difficultyFeatures.joined(separator: ", "))") }
                if let e = o.error { lines.append("      refused: \(e)") }
                lines.append("      \"\(snippet(o.label.features.lastUserText))\"")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON for `policy eval --json`.
    public func json(misroutes limit: Int = 10) -> JSONValue {
        func money(_ m: Money) -> JSONValue { .number(JSONNumber(m.nanoUSD)) }
        func costs(_ everyday: Bool?) -> JSONValue {
            var o: JSONObject = ["routed_nano_usd": money(routedCost(everyday: everyday))]
            for t in Tier.allCases { o["always_\(t)_nano_usd"] = money(cost(always: t, everyday: everyday)) }
            o["saving_vs_sonnet"] = .number(JSONNumber(text: String(format: "%.4f", saving(against: .sonnet, everyday: everyday))))
            o["requests"] = .number(JSONNumber(count(everyday: everyday)))
            return .object(o)
        }
        var matrix: JSONObject = [:]
        let m = confusion
        for label in Tier.allCases {
            var row: JSONObject = [:]
            for t in Tier.allCases { row[t.rawValue] = .number(JSONNumber(m[label]?[t] ?? 0)) }
            matrix[label.rawValue] = .object(row)
        }
        let worst: [JSONValue] = worstMisroutes(limit: limit).map { o in
            .object([
                "id": .string(o.label.id), "labelled": .string(o.label.tier.rawValue),
                "acceptable": .array(o.label.acceptable.sorted().map { .string($0.rawValue) }),
                "routed": .string(o.tier.rawValue), "task_type": .string(o.decision?.classification.taskType ?? ""),
                "difficulty": o.decision?.difficulty.map { .string($0.rawValue) } ?? .null,
                "features": .array((o.decision?.difficultyFeatures ?? []).map { .string($0) }),
            ])
        }
        return .object([
            "requests": .number(JSONNumber(count)),
            "refused": .number(JSONNumber(refused)),
            "acceptable_rate": .number(JSONNumber(text: String(format: "%.4f", acceptableRate))),
            "strict_accuracy": .number(JSONNumber(text: String(format: "%.4f", strictAccuracy))),
            "opus_labelled": .number(JSONNumber(opusLabelled)),
            "opus_to_haiku": .number(JSONNumber(opusToHaiku)),
            "opus_to_haiku_rate": .number(JSONNumber(text: String(format: "%.4f", opusToHaikuRate))),
            "under_served": .number(JSONNumber(underServed)),
            "over_served": .number(JSONNumber(overServed)),
            "one_line_questions_to_opus": .number(JSONNumber(shortQuestionsToOpus.count)),
            "cost": costs(nil),
            "everyday_cost": costs(true),
            "confusion": .object(matrix),
            "worst_misroutes": .array(worst),
        ])
    }

    private func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func snippet(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 100 ? String(flat.prefix(100)) + "…" : flat
    }
}
