import Foundation
import RouterCore
import Testing

@testable import UsageLedger

/// The report's task-type budget lines: listed under their client, measured on the task type's spend only.
@Suite struct TaskTypeBudgetLinesTests {
    static let today = BudgetLinesTests.today

    static func policy() -> Policy {
        var policy = BudgetLinesTests.policy()
        policy.clients[0].budget?.taskTypes = [
            "code": BudgetConfig(daily: Money(nanoUSD: 4_000), softLimitPercent: 50, hardLimit: true),
            "chat": BudgetConfig(monthly: Money(nanoUSD: 100_000), softLimitPercent: 90, hardLimit: false),
        ]
        // bob has no client-wide limit, only a task type's.
        policy.clients[1].budget = BudgetConfig(taskTypes: ["code": BudgetConfig(daily: Money(nanoUSD: 1_000))])
        return policy
    }

    static func totals() -> SpendTotals {
        var totals = BudgetLinesTests.totals()  // alice: 8,500 on chat today
        let now = today.startMillis + 2_000
        totals.add(client: "alice", taskType: "code", cost: Money(nanoUSD: 3_000), atMillis: now)
        totals.add(client: "bob", taskType: "code", cost: Money(nanoUSD: 1_500), atMillis: now)
        return totals
    }

    @Test func eachTaskTypeBudgetFollowsItsClientWithItsOwnSpendAndStatus() throws {
        let lines = BudgetUse.lines(policy: Self.policy(), totals: Self.totals(), today: Self.today)
        #expect(lines.map(\.label) == ["alice", "alice / chat", "alice / code", "bob", "bob / code", "carol"])
        let alice = lines[0]
        #expect(alice.taskType == nil)
        #expect(alice.spentToday == Money(nanoUSD: 11_500))
        #expect(alice.status == .over)
        let chat = lines[1]
        #expect(chat.taskType == "chat")
        #expect(chat.spentToday == Money(nanoUSD: 8_500))
        #expect(chat.monthlyLimit == Money(nanoUSD: 100_000) && chat.dailyLimit == nil)
        #expect(chat.status == .ok)
        #expect(!chat.hardLimit)
        let code = lines[2]
        #expect(code.spentToday == Money(nanoUSD: 3_000))
        #expect(code.status == .soft)  // 75% of 4,000, past 50%
        #expect(ReportFormatter.statusText(code) == "soft (past 50%)")
        #expect(code.source == .policy)
        #expect(lines[3].status == .none)
        #expect(lines[4].status == .over)
        #expect(ReportFormatter.statusText(lines[4]) == "over (refused)")
    }

    @Test func theClientFilterKeepsTheClientsTaskTypeLinesAndFlagsLeaveThemAlone() {
        let lines = BudgetUse.lines(
            policy: Self.policy(), daily: ["alice": Money(nanoUSD: 1_000_000)], client: "alice", totals: Self.totals(),
            today: Self.today)
        #expect(lines.map(\.label) == ["alice", "alice / chat", "alice / code"])
        #expect(lines[0].source == .flag)
        #expect(lines[2].dailyLimit == Money(nanoUSD: 4_000))
        #expect(lines[2].source == .policy)
    }

    @Test func tableAndJSONShowTheTaskType() throws {
        let lines = BudgetUse.lines(policy: Self.policy(), client: "bob", totals: Self.totals(), today: Self.today)
        let report = Report(query: ReportQuery(), rows: [], source: .rollup)
        let table = ReportFormatter().render(report, budgets: lines, as: .table)
        #expect(table.contains("bob / code"))
        let json = ReportFormatter().render(report, budgets: lines, as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let budgets = try #require(object["budgets"] as? [[String: Any]])
        #expect(budgets.count == 2)
        #expect(budgets[0]["task_type"] is NSNull)
        #expect(budgets[1]["task_type"] as? String == "code")
        #expect(budgets[1]["client"] as? String == "bob")
        #expect(budgets[1]["spent_today_nano_usd"] as? Int == 1_500)
        #expect(budgets[1]["status"] as? String == "over")
    }
}
