import ClaudeAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PolicyYAML
import RouterCore
import Synchronization
import Testing
import UpstreamCurl
import UsageLedger

@testable import RouterHTTP

/// Budget alerts: one webhook per budget, period and level, to an address the callback rules allow, kept across
/// restarts, retried a bounded number of times, never carrying a secret.
@Suite("Budget alerts")
struct BudgetAlertTests {
    /// A clock the test sets.
    final class TestClock: RouterClock {
        let millis: Mutex<Int64>
        init(_ start: Int64) { millis = Mutex(start) }
        func nowMillis() -> Int64 { millis.withLock { $0 } }
        func advance(days: Int64) { millis.withLock { $0 += days * 86_400_000 } }
    }

    /// Running spend as the ledger keeps it, for the clock's day and month.
    final class TestSpend: SpendSource {
        let totals = Mutex(SpendTotals())
        let clock: TestClock
        init(clock: TestClock) { self.clock = clock }
        func add(_ dollars: String, client: String = "dev", taskType: String = "coding") {
            let cost = Money(dollars: dollars)!
            let now = clock.nowMillis()
            totals.withLock { $0.add(client: client, taskType: taskType, cost: cost, atMillis: now) }
        }
        func spend(client: String, taskType: String?) -> (day: Money, month: Money) {
            let today = UTCDay(containingMillis: clock.nowMillis())
            return totals.withLock { $0.spend(client: client, taskType: taskType, today: today) }
        }
    }

    /// 2026-12-10T10:00:00Z.
    static let start = Day(year: 2026, month: 12, day: 10)!.startMillis + 10 * 3_600_000
    static let dollar: Int64 = 1_000_000_000

    /// The test policy (callbacks may reach 127.0.0.1) with `dev` on a $1 daily, $100 monthly budget (soft at 80%)
    /// and a $0.50 daily budget on `classification`, alerting to `url`.
    static func policy(url: String?, allowHosts: String = "[127.0.0.1]", maxAttempts: String = "3") throws -> Policy {
        var policy = try BatchHarness.policy(["callback_allow_hosts": allowHosts, "callback_max_attempts": maxAttempts])
        let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
        policy.clients[index].budget = BudgetConfig(
            daily: Money(nanoUSD: dollar), monthly: Money(nanoUSD: 100 * dollar), softLimitPercent: 80,
            taskTypes: ["classification": BudgetConfig(daily: Money(nanoUSD: dollar / 2), softLimitPercent: 80)])
        policy.clients[index].budgetAlertURL = url
        return policy
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test("each level of each budget is a crossing once reached, in its own period")
    func crossingsAreFoundPerBudgetPeriodAndLevel() throws {
        let policy = try Self.policy(url: "https://hooks.example.com/x")
        let spend = TestSpend(clock: TestClock(Self.start))
        let find = { BudgetCrossing.all(clients: policy.clients, nowMillis: Self.start) { spend.spend(client: $0, taskType: $1) } }
        spend.add("0.799999999")
        #expect(find().isEmpty)
        spend.add("0.000000001")
        #expect(find().map(\.id) == ["dev/-/daily/2026-12-10/soft"])
        spend.add("0.4", taskType: "classification")
        #expect(
            find().map(\.id) == [
                "dev/-/daily/2026-12-10/soft", "dev/-/daily/2026-12-10/hard", "dev/classification/daily/2026-12-10/soft",
            ])
        let hard = try #require(find().first { $0.level == .hard })
        #expect(hard.spentPercent == 120 && hard.resetsAtMillis == Day(year: 2026, month: 12, day: 11)!.startMillis)
    }

    @Test("a soft-limit crossing delivers exactly one webhook per period, across restarts")
    func oneWebhookPerPeriod() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { base in
            let path = Self.temporaryDatabase()
            defer { Self.remove(path) }
            let clock = TestClock(Self.start)
            let spend = TestSpend(clock: clock)
            let policies = PolicyStore(policy: try Self.policy(url: base + "/hook"), logger: Logger(label: "policy"))
            let curl = CurlHTTPClient()
            func alerts() throws -> BudgetAlerts {
                BudgetAlerts(
                    store: TaskStore(queue: try TaskQueue(path: path)), policies: policies, spend: spend,
                    sender: CurlCallbackSender(client: curl), logger: Logger(label: "alerts"))
            }
            let first = try alerts()
            spend.add("0.70")
            #expect(await first.tick(nowMillis: clock.nowMillis()) == BudgetAlerts.TickReport())
            #expect(receiver.bodies.isEmpty)

            spend.add("0.15")  // 85% of the day's $1: past the soft limit
            let crossed = await first.tick(nowMillis: clock.nowMillis())
            #expect(crossed.created == 1 && crossed.delivered == 1)
            #expect(receiver.bodies.count == 1)
            for _ in 0..<3 {
                spend.add("0.02")
                await first.tick(nowMillis: clock.nowMillis())
            }
            #expect(receiver.bodies.count == 1)

            // A restarted process (a new connection, nothing in memory) sends it again neither.
            let restarted = try alerts()
            #expect(await restarted.tick(nowMillis: clock.nowMillis()).created == 0)
            #expect(receiver.bodies.count == 1)

            // The next day is a new period: one more.
            clock.advance(days: 1)
            await restarted.tick(nowMillis: clock.nowMillis())
            #expect(receiver.bodies.count == 1)
            spend.add("0.90")
            await restarted.tick(nowMillis: clock.nowMillis())
            await restarted.tick(nowMillis: clock.nowMillis())
            #expect(receiver.bodies.count == 2)

            // Reaching the limit is the hard level, once.
            spend.add("0.20")
            await restarted.tick(nowMillis: clock.nowMillis())
            await restarted.tick(nowMillis: clock.nowMillis())
            let bodies = receiver.bodies
            #expect(bodies.count == 3)
            #expect(bodies.map { $0["level"]?.stringValue ?? "" } == ["soft", "soft", "hard"])
            #expect(bodies.map { $0["period_start"]?.stringValue ?? "" } == ["2026-12-10", "2026-12-11", "2026-12-11"])
            let soft = bodies[0]
            #expect(soft["type"] == "budget_alert" && soft["client"] == "dev" && soft["period"] == "daily")
            #expect(soft["task_type"] == .null && soft["limit_usd"] == "1.000000000" && soft["spent_usd"] == "0.850000000")
            #expect(soft["spent_percent"]?.intValue == 85 && soft["soft_limit_percent"]?.intValue == 80)
            #expect(soft["resets_at"] == "2026-12-11T00:00:00.000Z" && soft["id"] == "dev/-/daily/2026-12-10/soft")
            // Names, amounts and times only: no key, no key hash.
            let text = bodies.map { $0.jsonString() }.joined()
            let devHash = try #require(policies.current.client(named: "dev")?.keySHA256)
            #expect(!text.contains(ServiceHarness.devKey) && !text.contains(devHash))
            await curl.shutdown()
        }
    }

    @Test("a request refused by a budget below its limit (reservations count) sends the hard alert, once")
    func aRefusalIsTheHardLevel() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { base in
            var policy = try Self.policy(url: base + "/hook")
            let index = try #require(policy.clients.firstIndex { $0.name == "dev" })
            policy.clients[index].budget?.daily = Money(nanoUSD: 1000)  // less than any request's estimate
            try await BatchHarness(policy: policy).run { env in
                for _ in 0..<2 {
                    let refused = try await env.client.post("/v1/messages", json: messagesBody("Classify: hi"))
                    #expect(refused.status.code == 402)
                }
                let alerts = try #require(env.service.makeBudgetAlerts(sender: env.callbacks))
                #expect(await alerts.tick(nowMillis: env.now()).delivered == 1)
                _ = try await env.client.post("/v1/messages", json: messagesBody("Classify: again"))
                await alerts.tick(nowMillis: env.now())
                let bodies = receiver.bodies
                #expect(bodies.count == 1)
                #expect(bodies.first?["level"] == "hard" && bodies.first?["cause"] == "request_refused")
                #expect(bodies.first?["spent_usd"] == "0.000000000" && bodies.first?["limit_usd"] == "0.000001000")
            }
        }
    }

    @Test("a failing receiver is retried at most callback_max_attempts times, with backoff")
    func retriesAreBounded() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { base in
            let path = Self.temporaryDatabase()
            defer { Self.remove(path) }
            let clock = TestClock(Self.start)
            let spend = TestSpend(clock: clock)
            let curl = CurlHTTPClient()
            let store = TaskStore(queue: try TaskQueue(path: path))
            let alerts = BudgetAlerts(
                store: store, policies: PolicyStore(policy: try Self.policy(url: base + "/fail"), logger: Logger(label: "policy")), spend: spend,
                sender: CurlCallbackSender(client: curl), logger: Logger(label: "alerts"))
            spend.add("0.9")
            var now = clock.nowMillis()
            var failures = 0
            for _ in 0..<10 {
                failures += await alerts.tick(nowMillis: now).failures
                now += 600_000  // past any backoff
            }
            #expect(failures == 3)
            let alert = try #require(try store.queue.budgetAlert(id: "dev/-/daily/2026-12-10/soft"))
            #expect(alert.state == .failed && alert.attempts == 3)
            await curl.shutdown()
        }
    }

    @Test("an address the callback rules refuse is never called")
    func callbackRulesApply() async throws {
        let receiver = CallbackReceiver()
        try await receiver.run { base in
            let path = Self.temporaryDatabase()
            defer { Self.remove(path) }
            let spend = TestSpend(clock: TestClock(Self.start))
            let curl = CurlHTTPClient()
            let store = TaskStore(queue: try TaskQueue(path: path))
            let alerts = BudgetAlerts(
                store: store, policies: PolicyStore(policy: try Self.policy(url: base + "/hook", allowHosts: "[]"), logger: Logger(label: "policy")),
                spend: spend, sender: CurlCallbackSender(client: curl), logger: Logger(label: "alerts"))
            spend.add("0.9")
            var now = Self.start
            for _ in 0..<5 {
                await alerts.tick(nowMillis: now)
                now += 600_000
            }
            #expect(receiver.bodies.isEmpty)
            #expect(try store.queue.budgetAlert(id: "dev/-/daily/2026-12-10/soft")?.state == .failed)
            await curl.shutdown()
        }
    }

    @Test("clients.yaml takes budget_alert_url and budget.alert_url, and names a bad one with its line")
    func policyAddresses() throws {
        var files = PolicyLoader.embeddedFiles
        let index = try #require(files.firstIndex { $0.name == "clients.yaml" })
        let original = files[index].text
        files[index].text = "budget_alert_url: https://hooks.example.com/all\n" + original
        let policy = try PolicyLoader.load(files: files)
        #expect(policy.client(named: "dev")?.budgetAlertURL == "https://hooks.example.com/all")
        files[index].text =
            "budget_alert_url: https://hooks.example.com/all\n"
            + original.replacingOccurrences(
                of: "      hard_limit: true\n      # At most",
                with: "      hard_limit: true\n      alert_url: https://dev.example.com/hook\n      # At most")
        #expect(try PolicyLoader.load(files: files).client(named: "dev")?.budgetAlertURL == "https://dev.example.com/hook")
        files[index].text = "budget_alert_url: ftp://user:secret@hooks.example.com/x\n" + original
        do {
            _ = try PolicyLoader.load(files: files)
            Issue.record("a non-http alert URL was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("clients.yaml:1:") && text.contains("budget_alert_url"), "\(text)")
            #expect(!text.contains("secret"))
        }
    }
}
