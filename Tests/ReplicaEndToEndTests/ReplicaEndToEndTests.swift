import ClaudeSimulator
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RouterCore
import Synchronization
import Testing
import UpstreamCurl
import UsageLedger

@testable import UsageLedgerPostgres

/// Issue 15's "done when": three `claude-router serve` processes (the built binary) on one PostgreSQL, behind a
/// round-robin proxy, with the simulator upstream. One replica is SIGKILLed halfway.
@Suite(.serialized, .enabled(if: E2EPostgres.runs, "PostgreSQL unavailable (set CLAUDE_ROUTER_TEST_PG_URL)"))
struct ReplicaEndToEndTests {
    /// The simulator: no delay, batches that end half a second after they are created, limits nobody reaches.
    static func simulator() -> ClaudeSimulator {
        var config = SimulatorConfig.default
        let roomy = RateLimits(
            requestsPerMinute: 10_000_000, inputTokensPerMinute: 1_000_000_000, outputTokensPerMinute: 1_000_000_000)
        config.tiers = ["e2e": [:]]
        config.tier = "e2e"
        config.fallbackLimits = roomy
        config.batchQueueLimits = [:]
        config.batchProcessingSeconds = 0.5
        config.outputTokens = 10...40
        var logger = Logger(label: "e2e-simulator")
        logger.logLevel = .warning
        return ClaudeSimulator(config: config, clock: ScaledClock(), logger: logger)
    }

    /// batches.yaml that packs at every scheduler tick (1 s) and polls every second.
    static let eagerBatches = """
        enabled: true
        max_batch_size: 1000
        max_wait_seconds: 0
        poll_interval_seconds: 1
        max_poll_interval_seconds: 1
        min_deadline_seconds: 86400
        defer_background: true
        max_pending_per_client: 10000
        max_attempts: 3
        callback_timeout_seconds: 10
        callback_max_attempts: 5
        max_sync_runs: 4
        """

    /// Starts `count` replicas on `database` with `policies`, upstream the simulator on `simulatorPort`.
    static func startReplicas(
        _ count: Int, database: PostgresURL, policies: URL, simulatorPort: Int, leaseMillis: Int = 3_000
    ) async throws -> [ReplicaProcess] {
        #expect(FileManager.default.isExecutableFile(atPath: BuiltBinary.path), "build claude-router first")
        var replicas: [ReplicaProcess] = []
        for index in 0..<count {
            replicas.append(
                try ReplicaProcess(
                    name: "r\(index)",
                    arguments: [
                        "--db", "postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)",
                        "--replica-id", "r\(index)", "--replica-lease-ms", "\(leaseMillis)",
                        "--policies", policies.path, "--upstream", "http://127.0.0.1:\(simulatorPort)",
                        // Every row durable before its response: a 2xx answered just before the kill keeps its row.
                        "--commit-interval-ms", "0", "--log-level", "notice",
                    ]))
        }
        for replica in replicas { try await replica.waitUntilListening() }
        return replicas
    }

    /// The rows of `usage` per request id (`kind = 'request'`), and the sum of their cost per client.
    static func ledgerRows(_ database: PostgresURL) throws -> [String: Int] {
        let session = try PostgresSession(url: database)
        defer { session.close() }
        var counts: [String: Int] = [:]
        for row in try session.query(
            "SELECT request_id, COUNT(*) FROM usage WHERE kind = 'request' GROUP BY request_id")
        {
            counts[row.text(0)] = row.int(1)
        }
        return counts
    }

    enum Kind: Sendable { case message, stream, task }

    struct Sent: Sendable {
        var kind: Kind
        var key: String
        var outcome: Outcome
        var startedAfterKill: Bool
        var endedBeforeKill: Bool
    }

    @Test("3 replicas, 1,000 requests and 300 deferred tasks, one replica SIGKILLed halfway: every 2xx has one row, every task succeeds once, nothing is sent twice")
    func killOneReplicaHalfway() async throws {
        let started = ContinuousClock.now
        let database = try E2EPostgres.createDatabase()
        defer { E2EPostgres.drop(database) }
        let clients = [
            TestClient(name: "alpha", key: "e2e-alpha-key", budget: "daily_usd: 1000\nmonthly_usd: 10000\nhard_limit: true"),
            TestClient(name: "beta", key: "e2e-beta-key", budget: ""),
            TestClient(name: "gamma", key: "e2e-gamma-key", budget: "monthly_usd: 5000\nhard_limit: false"),
        ]
        let policies = try makePolicies(replacing: [
            "clients.yaml": TestClient.clientsYAML(clients), "batches.yaml": Self.eagerBatches,
            "limits.yaml": roomyLimits,
        ])
        defer { try? FileManager.default.removeItem(at: policies) }

        try await Self.simulator().buildApplication(port: 0).test(.live) { simulatorClient in
            let simulatorPort = try #require(simulatorClient.port)
            let replicas = try await Self.startReplicas(
                3, database: database, policies: policies, simulatorPort: simulatorPort)
            defer { for replica in replicas { replica.kill9() } }
            let proxy = try RoundRobinProxy(backends: replicas.map(\.port))
            defer { proxy.stop() }
            let curl = CurlHTTPClient()
            let router = RouterClient(curl: curl, base: "http://127.0.0.1:\(proxy.port)")

            // 1,300 operations, interleaved: every 13th, 3 are tasks; of the messages every third streams.
            var plan: [(Kind, TestClient, Int)] = []
            var messages = 0
            var tasks = 0
            for index in 0..<1_300 {
                let client = clients[index % clients.count]
                if [3, 7, 11].contains(index % 13) && tasks < 300 {
                    plan.append((.task, client, index))
                    tasks += 1
                } else {
                    plan.append((messages % 3 == 2 ? .stream : .message, client, index))
                    messages += 1
                }
            }
            #expect(tasks == 300 && messages == 1_000)
            let plannedOps = plan
            let next = Locked(0)
            let done = Locked(0)
            let killedAt = Locked<ContinuousClock.Instant?>(nil)
            let results = Locked<[Sent]>([])
            let sendStart = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        while true {
                            let taken: Int? = next.withLock { position in
                                guard position < plannedOps.count else { return nil }
                                defer { position += 1 }
                                return position
                            }
                            guard let position = taken else { return }
                            let (kind, client, index) = plannedOps[position]
                            let begin = ContinuousClock.now
                            let outcome: Outcome
                            switch kind {
                            case .message, .stream:
                                outcome = await router.send(
                                    "POST", "/v1/messages", key: client.key,
                                    json: """
                                        {"model":"claude-haiku-4-5","max_tokens":64,"stream":\(kind == .stream),\
                                        "messages":[{"role":"user","content":"Classify the sentiment of review \(index): great product, would buy again"}]}
                                        """, headers: [("x-sim-output-tokens", "16")])
                            case .task:
                                outcome = await router.send(
                                    "POST", "/v1/tasks", key: client.key,
                                    json: """
                                        {"task_type":"classification","priority":"background","max_tokens":64,\
                                        "messages":[{"role":"user","content":"Classify the sentiment of note \(index): slow delivery"}]}
                                        """)
                            }
                            let kill = killedAt.withLock { $0 }
                            let finished = done.withLock { count in
                                count += 1
                                return count
                            }
                            results.withLock {
                                $0.append(
                                    Sent(
                                        kind: kind, key: client.key, outcome: outcome,
                                        startedAfterKill: kill.map { begin > $0 } ?? false,
                                        endedBeforeKill: kill == nil))
                            }
                            if finished == plannedOps.count / 2 {
                                // Marked before the signal: an answer read as ended before the kill really was.
                                killedAt.withLock { $0 = ContinuousClock.now }
                                replicas[1].kill9()
                            }
                        }
                    }
                }
            }
            let sendTime = ContinuousClock.now - sendStart
            let sent = results.withLock { $0 }
            #expect(sent.count == 1_300)
            #expect(killedAt.withLock { $0 } != nil)

            // Every accepted task is read back through the proxy (any live replica answers) until it ends.
            var accepted: [(id: String, key: String)] = []
            for item in sent where item.kind == .task && item.outcome.status == 202 {
                if let id = jsonObject(item.outcome.body)?["id"] as? String { accepted.append((id, item.key)) }
            }
            var finalStatus: [String: String] = [:]
            let pollStart = ContinuousClock.now
            let deadline = ContinuousClock.now + .seconds(150)
            var rounds = 0
            while finalStatus.count < accepted.count && ContinuousClock.now < deadline {
                rounds += 1
                let open = accepted.filter { finalStatus[$0.id] == nil }
                let read: [(String, String?)] = await withTaskGroup(of: (String, String?).self) { group in
                    for (offset, task) in open.enumerated() where offset < 64 {
                        group.addTask {
                            let answer = await router.send("GET", "/v1/tasks/\(task.id)", key: task.key)
                            return (task.id, answer.status == 200 ? jsonObject(answer.body)?["status"] as? String : nil)
                        }
                    }
                    var all: [(String, String?)] = []
                    for await one in group { all.append(one) }
                    return all
                }
                for (id, status) in read {
                    if let status, ["succeeded", "failed", "canceled"].contains(status) { finalStatus[id] = status }
                }
                if read.allSatisfy({ finalStatus[$0.0] == nil }) { try await Task.sleep(for: .milliseconds(500)) }
            }
            let pollTime = ContinuousClock.now - pollStart

            // What the clients saw.
            let messageOps = sent.filter { $0.kind != .task }
            let ok = messageOps.filter { op in
                guard let status = op.outcome.status, (200..<300).contains(status), op.outcome.transportError == nil
                else { return false }
                return op.kind == .message || String(decoding: op.outcome.body, as: UTF8.self).contains("message_stop")
            }
            let failedAtClient = messageOps.count - ok.count
            let taskFailures = sent.filter { $0.kind == .task && $0.outcome.status != 202 }

            // What the ledger holds.
            let rows = try Self.ledgerRows(database)
            let duplicated = rows.filter { $0.value > 1 }
            #expect(duplicated.isEmpty, "request ids with more than one ledger row: \(duplicated.prefix(5))")
            var missing: [String] = []
            var inFlightAtKillWithoutRow = 0
            for op in ok {
                let id = try #require(op.outcome.requestID)
                if rows[id] == 1 { continue }
                // A stream's row is committed before its response ends; one cut by the kill may
                // have lost it (no 2xx without a row otherwise).
                if op.kind == .stream && !op.endedBeforeKill && !op.startedAfterKill {
                    inFlightAtKillWithoutRow += 1
                } else {
                    missing.append("\(op.kind) \(id)")
                }
            }
            #expect(missing.isEmpty, "2xx answers without exactly one ledger row: \(missing.prefix(10))")
            // Requests that failed at the client (cut by the kill) have at most one row each: all request rows that
            // are not a 2xx's or a task's are theirs.
            let taskRequestIDs = Set(accepted.map { "rtr_" + $0.id.dropFirst("task_".count) })
            let okIDs = Set(ok.compactMap(\.outcome.requestID))
            let orphanRows = rows.keys.filter { !okIDs.contains($0) && !taskRequestIDs.contains($0) }.count
            #expect(orphanRows <= failedAtClient + taskFailures.count)

            // Every accepted task ended `succeeded`, with exactly one ledger row.
            let notSucceeded = accepted.filter { finalStatus[$0.id] != "succeeded" }
            #expect(
                notSucceeded.isEmpty,
                "tasks not succeeded: \(notSucceeded.prefix(5).map { "\($0.id): \(finalStatus[$0.id] ?? "unfinished")" })")
            let taskRowsWrong = taskRequestIDs.filter { rows[$0] != 1 }
            #expect(taskRowsWrong.isEmpty, "tasks without exactly one ledger row: \(taskRowsWrong.prefix(5))")

            // Nothing was sent twice: the simulator received one batch request per stored task.
            let session = try PostgresSession(url: database)
            let storedTasks = try session.query("SELECT COUNT(*) FROM tasks").first?.int(0) ?? -1
            let unfinished = try session.query(
                "SELECT COUNT(*) FROM tasks WHERE state NOT IN ('succeeded', 'failed', 'canceled')").first?.int(0) ?? -1
            session.close()
            let upstream = RouterClient(curl: curl, base: "http://127.0.0.1:\(simulatorPort)")
            var batchRequests = 0
            var batches = 0
            var after: String?
            for _ in 0..<1_000 {
                let page = await upstream.send(
                    "GET", "/v1/messages/batches?limit=1000" + (after.map { "&after_id=\($0)" } ?? ""), key: "sim")
                let object = try #require(jsonObject(page.body), "the simulator's batch list: \(page)")
                for batch in object["data"] as? [[String: Any]] ?? [] {
                    batches += 1
                    let counts = batch["request_counts"] as? [String: Any] ?? [:]
                    batchRequests += counts.values.compactMap { ($0 as? NSNumber)?.intValue }.reduce(0, +)
                }
                guard object["has_more"] as? Bool == true, let last = object["last_id"] as? String else { break }
                after = last
            }
            await curl.shutdown()
            #expect(batchRequests == storedTasks, "batch requests upstream vs tasks stored")
            #expect(unfinished == 0)

            let report = """
                ReplicaEndToEndTests: \(messageOps.count) messages (\(ok.count) 2xx complete, \(failedAtClient) \
                failed at the client, \(inFlightAtKillWithoutRow) streams in flight at the kill without a row, \
                \(orphanRows) rows of requests that failed at the client); tasks: \(accepted.count) accepted (202), \
                \(taskFailures.count) not accepted, \(storedTasks) stored, \(finalStatus.values.filter { $0 == "succeeded" }.count) \
                succeeded, \(batches) batches holding \(batchRequests) requests upstream; proxy connections per \
                replica \(proxy.connections); sending \(sendTime), polling \(pollTime) (\(rounds) rounds), \
                total \(ContinuousClock.now - started)

                """
            FileHandle.standardError.write(Data(report.utf8))
            if !missing.isEmpty || !notSucceeded.isEmpty {
                for replica in replicas {
                    FileHandle.standardError.write(Data("--- \(replica.name)\n\(replica.log)\n".utf8))
                }
            }
        }
    }

    @Test("a hard daily budget hammered through 3 replicas is passed by no more than one request's estimation error")
    func sharedHardBudget() async throws {
        let database = try E2EPostgres.createDatabase()
        defer { E2EPostgres.drop(database) }
        // About 40 requests' worth; each request holds its estimate for 150 ms upstream, so without shared holds the
        // replicas admit well past it.
        let limitUSD = "0.02"
        let capped = TestClient(
            name: "capped", key: "e2e-capped-key",
            budget: "daily_usd: \(limitUSD)\nmonthly_usd: 100\nhard_limit: true\nsoft_limit_percent: 99")
        let policies = try makePolicies(replacing: [
            "clients.yaml": TestClient.clientsYAML([capped]), "batches.yaml": Self.eagerBatches,
            "limits.yaml": roomyLimits,
        ])
        defer { try? FileManager.default.removeItem(at: policies) }
        try await Self.simulator().buildApplication(port: 0).test(.live) { simulatorClient in
            let simulatorPort = try #require(simulatorClient.port)
            let replicas = try await Self.startReplicas(
                3, database: database, policies: policies, simulatorPort: simulatorPort, leaseMillis: 30_000)
            defer { for replica in replicas { replica.kill9() } }
            let proxy = try RoundRobinProxy(backends: replicas.map(\.port))
            defer { proxy.stop() }
            let curl = CurlHTTPClient()
            let router = RouterClient(curl: curl, base: "http://127.0.0.1:\(proxy.port)")
            let statuses = Locked<[Int: Int]>([:])
            let next = Locked(0)
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<24 {
                    group.addTask {
                        while true {
                            let index: Int? = next.withLock { position in
                                guard position < 240 else { return nil }
                                defer { position += 1 }
                                return position
                            }
                            guard let index else { return }
                            let outcome = await router.send(
                                "POST", "/v1/messages", key: capped.key,
                                json: """
                                    {"model":"claude-haiku-4-5","max_tokens":200,\
                                    "messages":[{"role":"user","content":"Classify the sentiment of review \(index): fine"}]}
                                    """, headers: [("x-sim-output-tokens", "200"), ("x-sim-fault", "slow:150")])
                            statuses.withLock { $0[outcome.status ?? -1, default: 0] += 1 }
                        }
                    }
                }
            }
            await curl.shutdown()
            let seen = statuses.withLock { $0 }
            #expect(seen[402, default: 0] > 0, "the budget was never reached: \(seen)")
            #expect(seen[-1, default: 0] == 0, "transport errors: \(seen)")

            let session = try PostgresSession(url: database)
            defer { session.close() }
            let spend = try #require(
                try session.query(
                    "SELECT COALESCE(SUM(cost_nano), 0)::BIGINT, COALESCE(MAX(cost_nano), 0)::BIGINT, COUNT(*) FROM usage WHERE kind = 'request' AND client = 'capped'"
                ).first)
            let spent = spend.int64(0)
            let largest = spend.int64(1)
            let limit = try #require(Money(dollars: limitUSD)).nanoUSD
            // One request's estimation error is at most that request's cost (its estimate is never negative).
            #expect(spent <= limit + largest, "spent \(spent) nano-USD against a limit of \(limit) (largest request \(largest))")
            #expect(spent > limit / 2, "spent \(spent) of \(limit): the budget was barely used")
            // Every call's hold is gone once its row is durable (bounded wait for the replicas' release queues).
            var left = -1
            for _ in 0..<100 {
                left = try session.query("SELECT COUNT(*) FROM budget_holds").first?.int(0) ?? -1
                if left == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(left == 0, "budget holds left after every call ended")
            FileHandle.standardError.write(
                Data(
                    "ReplicaEndToEndTests.sharedHardBudget: statuses \(seen), \(spend.int64(2)) rows, spent \(spent) nano-USD, limit \(limit), largest request \(largest)\n"
                        .utf8))
        }
    }
}
