import Foundation
import PolicyYAML
import RouterCore
import Testing

/// `task_types:` inside a client's `budget` in clients.yaml.
@Suite struct TaskTypeBudgetTests {
    static func clients(budget: String) -> String {
        Fixture.clients + "    budget:\n" + budget
    }

    static func issues(_ budget: String) -> [String] {
        do {
            _ = try PolicyLoader.load(files: Fixture.with(["clients.yaml": clients(budget: budget)]))
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func aTaskTypeBudgetHasItsOwnLimitsAndInheritsTheClientsSettingsUnlessItOverridesThem() throws {
        let budget = """
                  monthly_usd: 300
                  soft_limit_percent: 90
                  soft_action: defer
                  hard_limit: false
                  task_types:
                    deep: {daily_usd: 5, monthly_usd: 50}
                    quick:
                      monthly_usd: 2.5
                      soft_limit_percent: 50
                      soft_action: downgrade
                      hard_limit: true

            """
        let policy = try PolicyLoader.load(files: Fixture.with(["clients.yaml": Self.clients(budget: budget)]))
        let config = try #require(policy.client(named: "dev")?.budget)
        #expect(config.monthly == Money(dollars: "300"))
        #expect(
            config.taskTypes["deep"]
                == BudgetConfig(
                    daily: Money(dollars: "5"), monthly: Money(dollars: "50"), softLimitPercent: 90, softAction: .defer,
                    hardLimit: false))
        #expect(
            config.taskTypes["quick"]
                == BudgetConfig(
                    monthly: Money(dollars: "2.5"), softLimitPercent: 50, softAction: .downgrade, hardLimit: true))
        #expect(config.taskTypes["code"] == nil)
    }

    @Test func aClientMayBudgetOnlyTaskTypes() throws {
        let budget = "      task_types:\n        deep: {daily_usd: 1}\n"
        let policy = try PolicyLoader.load(files: Fixture.with(["clients.yaml": Self.clients(budget: budget)]))
        let config = try #require(policy.client(named: "dev")?.budget)
        #expect(config.daily == nil && config.monthly == nil)
        #expect(config.taskTypes["deep"]?.daily == Money(dollars: "1"))
        #expect(config.taskTypes["deep"]?.hardLimit == true)
    }

    @Test func anUnknownTaskTypeIsReportedAtItsNameWithTheNearestKnownOne() {
        let got = Self.issues("      task_types:\n        deap: {daily_usd: 5}\n")
        #expect(got == ["clients.yaml:6:9: error: unknown task type 'deap'; did you mean 'deep'?"])
    }

    @Test(
        "bad values inside a task type's budget are located exactly",
        arguments: [
            ("        deep: {daily_usd: -1}\n", "clients.yaml:6:27", "'daily_usd' must not be negative"),
            ("        deep: {daily_usd: lots}\n", "clients.yaml:6:27", "'daily_usd' must be an amount of US dollars"),
            ("        deep: {daily_usd: 1, soft_limit_percent: 120}\n", "clients.yaml:6:50", "at most 100, found 120"),
            (
                "        deep: {daily_usd: 1, soft_action: pause}\n", "clients.yaml:6:43",
                "must be one of downgrade, defer"
            ),
            (
                "        deep: {daily_usd: 1, hard_limit: maybe}\n", "clients.yaml:6:42",
                "'hard_limit' must be true or false"
            ),
            ("        deep: {daly_usd: 1}\n", "clients.yaml:6:16", "unknown key 'daly_usd'"),
            ("        deep: {soft_action: defer}\n", "clients.yaml:6:9", "needs 'daily_usd' or 'monthly_usd'"),
            ("        deep: 5\n", "clients.yaml:6:15", "must be a mapping"),
        ])
    func badValue(_ entry: String, _ location: String, _ message: String) {
        let got = Self.issues("      task_types:\n" + entry)
        #expect(got.contains { $0.hasPrefix(location + ": error: ") && $0.contains(message) }, "got: \(got)")
    }

    @Test func theShippedClientsKeepNoTaskTypeBudget() throws {
        let policy = try PolicyLoader.load(directory: Fixture.repoRoot + "/policies")
        #expect(policy.clients.allSatisfy { $0.budget?.taskTypes.isEmpty ?? true })
    }
}
