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
