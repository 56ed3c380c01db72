import Foundation
import PolicyYAML
import RouterCore

/// The shipped policy, loaded once from `policies/` for the routing tables.
enum Shipped {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let policy: Policy = {
        do { return try PolicyLoader.load(directory: root + "/policies") } catch { fatalError("\(error)") }
    }()
    /// The shipped policy with one tier per task type and no router model (today's one-tier form), for the tests
    /// of the routing rules that come after the tier: floors, budgets, fallbacks, the safe tier.
    static let oneTierPolicy: Policy = {
        var p = policy
        p.routerModel = nil
        let tiers: [String: Tier] = [
            "classification": .haiku, "extraction": .haiku, "routing": .haiku, "coding": .sonnet,
            "analysis": .sonnet, "writing": .sonnet, "complex_reasoning": .opus, "architecture": .opus,
        ]
        for (name, spec) in p.taskTypes {
            p.taskTypes[name] = TaskTypeSpec(
                name: name, tier: tiers[name] ?? spec.tier, deferrable: spec.deferrable,
                expectedOutputTokens: spec.expectedOutputTokens, description: spec.description)
        }
        return p
    }()
    static let day = Day(iso: "2026-11-28")!
    static var dev: ClientSpec { policy.client(named: "dev")! }
    static var batchJobs: ClientSpec { policy.client(named: "batch-jobs")! }
}
