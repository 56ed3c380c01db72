import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Testing

@testable import RouterHTTP

/// `/metrics` through the service: cost and tokens by client (bounded by the policy), budget use, cache hit ratio.
@Suite struct ClientMetricsTests {
    struct FixedSpend: SpendSource {
        func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
            client == "dev" ? (Money(nanoUSD: 1_500_000_000), Money(nanoUSD: 7_000_000_000)) : (.zero, .zero)
        }
    }

    @Test func costIsLabelledByClientAndBudgetsAreGauges() async throws {
        var harness = try ServiceHarness()
        harness.spend = FixedSpend()
        try await harness.run { client, _ in
            let ok = try await client.post("/v1/messages", json: messagesBody("Classify this ticket: refund"))
            #expect(ok.status == .ok)
            let limited = try await client.post(
                "/v1/messages", key: ServiceHarness.limitedKey, json: messagesBody("Classify this ticket: spam"))
            #expect(limited.status == .ok)
            let text = try await client.execute(uri: "/metrics", method: .get).text
            let costLines = text.split(separator: "\n").filter { $0.hasPrefix("claude_router_cost_nanodollars_total{") }
            #expect(costLines.contains { $0.contains("client=\"dev\"") })
            #expect(costLines.contains { $0.contains("client=\"limited\"") })
            #expect(text.contains("claude_router_budget_spent_nanodollars{client=\"dev\",period=\"day\"} 1500000000\n"))
            #expect(text.contains("claude_router_budget_spent_nanodollars{client=\"dev\",period=\"month\"} 7000000000\n"))
            #expect(text.contains("claude_router_budget_limit_nanodollars{client=\"dev\",period=\"day\"} 20000000000\n"))
            #expect(text.contains("claude_router_budget_limit_nanodollars{client=\"dev\",period=\"month\"} 300000000000\n"))
            #expect(!text.contains("budget_limit_nanodollars{client=\"limited\""))  // no budget
            #expect(text.contains("claude_router_cache_hit_ratio "))
        }
    }

    /// `dev` spent $1.5 today of which $0.25 on architecture, a task type with its own $5 daily budget.
    struct TaskTypeSpend: SpendSource {
        func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
            guard client == "dev" else { return (.zero, .zero) }
            return taskType == "architecture"
                ? (Money(nanoUSD: 250_000_000), Money(nanoUSD: 900_000_000))
                : (Money(nanoUSD: 1_500_000_000), Money(nanoUSD: 7_000_000_000))
        }
    }

    @Test func aTaskTypeWithItsOwnBudgetHasItsOwnGauges() async throws {
        var policy = try ServiceHarness.policy()
        let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
        policy.clients[index].budget?.taskTypes["architecture"] = BudgetConfig(daily: Money(dollars: "5"))
        var harness = try ServiceHarness(policy: policy)
        harness.spend = TaskTypeSpend()
        try await harness.run { client, _ in
            let text = try await client.execute(uri: "/metrics", method: .get).text
            let spent = "claude_router_task_type_budget_spent_nanodollars"
            let limit = "claude_router_task_type_budget_limit_nanodollars"
            #expect(text.contains("\(spent){client=\"dev\",task_type=\"architecture\",period=\"day\"} 250000000\n"))
            #expect(text.contains("\(spent){client=\"dev\",task_type=\"architecture\",period=\"month\"} 900000000\n"))
            #expect(text.contains("\(limit){client=\"dev\",task_type=\"architecture\",period=\"day\"} 5000000000\n"))
            #expect(!text.contains("\(limit){client=\"dev\",task_type=\"architecture\",period=\"month\""))  // none set
            // Only the budgets clients.yaml names get a series: no other task type, no client without one.
            let series = text.split(separator: "\n").filter { $0.hasPrefix(spent + "{") }
            #expect(series.count == 2)
            // The client's own budget gauges are unchanged by the task type's.
            #expect(text.contains("claude_router_budget_spent_nanodollars{client=\"dev\",period=\"day\"} 1500000000\n"))
        }
    }

    @Test func aClientTheServiceDoesNotKnowIsFoldedIntoOther() {
        let metrics = ServiceMetrics(clientLabel: { $0 == "dev" ? $0 : "other" })
        var row = UsageRecord(
            kind: .request, timestampMillis: 0, requestID: "r", attempt: 0, upstreamRequestID: nil, client: "gone",
            taskType: "t", confidenceMillis: 0, classifierReason: "", modelRequested: "m", modelUsed: "m", tier: "haiku",
            mode: .sync, status: 200, errorType: nil, policyHash: "h")
        row.cost = Money(nanoUSD: 9)
        metrics.observe(row, bucket: "b", overheadMillis: 0)
        let text = metrics.render(lanes: [])
        #expect(text.contains("claude_router_cost_nanodollars_total{model=\"m\",task_type=\"t\",client=\"other\"} 9\n"))
        #expect(!text.contains("gone"))
    }
}
