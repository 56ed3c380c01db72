import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RouterCore
import Testing

@testable import RouterHTTP

/// Spend fixed per client and per client and task type, as the ledger's running totals would give it.
struct FixedSpend: SpendSource {
    var byClient: [String: Money] = [:]
    var byTaskType: [String: Money] = [:]

    func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
        let amount = taskType.map { byTaskType["\(client)/\($0)"] ?? .zero } ?? byClient[client] ?? .zero
        return (amount, amount)
    }
}

/// A task type's budget, enforced by the service once the request is classified.
@Suite struct TaskTypeBudgetServiceTests {
    static let architecture =
        "Design the architecture of a multi-region event-sourced payments platform: services, data stores, "
        + "consistency and failover trade-offs."

    /// The default policy with `dev` allowed $5 a day on architecture.
    static func harness(spentOnArchitecture: String, clientSpent: String = "1") throws -> ServiceHarness {
        var policy = try ServiceHarness.policy()
        let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
        policy.clients[index].budget?.taskTypes["architecture"] = BudgetConfig(daily: Money(dollars: "5"))
        var harness = try ServiceHarness(policy: policy)
        harness.spend = FixedSpend(
            byClient: ["dev": Money(dollars: clientSpent)!],
            byTaskType: ["dev/architecture": Money(dollars: spentOnArchitecture)!])
        return harness
    }

    @Test func aTaskTypeAtItsHardLimitAnswers402NamingClientTaskTypeLimitAndReset() async throws {
        let harness = try Self.harness(spentOnArchitecture: "5")
        try await harness.run { client, _ in
            let refused = try await client.post("/v1/messages", json: messagesBody(Self.architecture))
            #expect(refused.status.code == 402)
            #expect(refused.json["type"]?.stringValue == "error")
            #expect(refused.json["error"]?["type"]?.stringValue == "budget_exceeded_error")
            let message = refused.json["error"]?["message"]?.stringValue ?? ""
            let tomorrow = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000)).next
            #expect(
                message.hasPrefix(
                    "client 'dev' has used its daily budget for task type 'architecture' of $5.00; it resets at "),
                "\(message)")
            // Around midnight UTC the day may turn between the request and this line: accept either reset.
            #expect(
                message.hasSuffix("\(tomorrow)T00:00:00Z") || message.hasSuffix("\(tomorrow.next)T00:00:00Z"),
                "\(message)")
            #expect(harness.recorder.requests.isEmpty, "a refused request never reaches the API")

            // The client's own budget is fine: other task types still go through.
            let other = try await client.post(
                "/v1/messages", json: messagesBody("Classify the sentiment of this review as positive or negative: ok"))
            #expect(other.status == .ok)
            #expect(other.header("x-router-task-type") == "classification")
        }
    }

    @Test func aTaskTypePastItsSoftLimitIsDowngradedAndSaysWhy() async throws {
        let harness = try Self.harness(spentOnArchitecture: "4.5")
        try await harness.run { client, _ in
            let response = try await client.post("/v1/route", json: messagesBody(Self.architecture, maxTokens: 4096))
            #expect(response.status == .ok)
            let decision = response.json["decision"]
            #expect(decision?["model"]?.stringValue == "claude-sonnet-4-6", "\(response.text)")
            #expect(
                decision?["model_reason"]?.stringValue?.contains(
                    "daily budget for task type 'architecture' past its soft limit → downgraded to sonnet") == true)
            #expect(decision?["budget"]?["state"]?.stringValue == "soft_limit")
            #expect(decision?["budget"]?["scope"]?.stringValue == "task_type")
            #expect(decision?["budget"]?["task_type"]?.stringValue == "architecture")
        }
    }

    @Test func theClientsHardLimitStillRefusesWithoutNamingATaskType() async throws {
        let harness = try Self.harness(spentOnArchitecture: "0", clientSpent: "20")
        try await harness.run { client, _ in
            let refused = try await client.post("/v1/messages", json: messagesBody(Self.architecture))
            #expect(refused.status.code == 402)
            let message = refused.json["error"]?["message"]?.stringValue ?? ""
            #expect(message.hasPrefix("client 'dev' has used its daily budget of $20.00; it resets at "), "\(message)")
        }
    }
}
