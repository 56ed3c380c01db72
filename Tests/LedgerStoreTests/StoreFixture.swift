import Foundation
import RouterCore
import Testing
@testable import UsageLedger

@testable import UsageLedgerPostgres

/// The two stores the suite runs against.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a server answers at `CLAUDE_ROUTER_TEST_PG_URL`.
    static let available: [StoreKind] = PostgresEnvironment.reachable ? [.sqlite, .postgres] : [.sqlite]
}

/// Where the PostgreSQL half of the suite connects: `CLAUDE_ROUTER_TEST_PG_URL` (`.ci/run` and
/// `scripts/postgres-for-tests.sh` start a server and set it). `CLAUDE_ROUTER_REQUIRE_PG=1` (CI) turns "not
/// reachable" from a skip into a failure.
enum PostgresEnvironment {
    static let url: PostgresURL? = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_TEST_PG_URL"].flatMap {
        try? PostgresURL($0)
    }
    static let required = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_REQUIRE_PG"] == "1"

    /// nil when the server answered; otherwise why the PostgreSQL half does not run.
    static let unreachableReason: String? = {
        guard let url else {
            return "CLAUDE_ROUTER_TEST_PG_URL is not set (scripts/postgres-for-tests.sh starts a server and prints it)"
        }
        do {
            let session = try PostgresSession(url: url)
            session.close()
            return nil
        } catch {
            return "PostgreSQL at \(url) cannot be reached: \(error)"
        }
    }()

    static var reachable: Bool {
        let reachable = unreachableReason == nil
        if !reachable && !required {
            announceSkip
        }
        return reachable
    }

    private static let announceSkip: Void = {
        FileHandle.standardError.write(
            Data("LedgerStoreTests: SKIPPING the PostgreSQL half of the store suite: \(unreachableReason ?? "")\n".utf8))
    }()
}

/// A fresh, empty store of one kind: a temporary SQLite file, or a new PostgreSQL database dropped afterwards.
final class StoreFixture: @unchecked Sendable {
    let kind: StoreKind
    private let directory: URL
    private(set) var url: PostgresURL?
    private var databaseName: String?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if kind == .postgres {
            let base = try #require(PostgresEnvironment.url)
            let name = "crt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            let admin = try PostgresSession(url: base)
            defer { admin.close() }
            try admin.execute("CREATE DATABASE \(name)")
            var url = base
            url.database = String(name)
            self.url = url
            databaseName = String(name)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        if let databaseName, let base = PostgresEnvironment.url, let admin = try? PostgresSession(url: base) {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
            admin.close()
        }
    }

    var sqlitePath: String { directory.appendingPathComponent("ledger.sqlite").path }

    func ledger(
        clock: any RouterClock, commitInterval: Duration = .milliseconds(5), queueCapacity: Int = 10_000,
        refresh: Duration = .milliseconds(20)
    ) throws -> any LedgerProtocol {
        let configuration = LedgerConfiguration(
            commitInterval: commitInterval, queueCapacity: queueCapacity, clock: clock)
        switch kind {
        case .sqlite: return try Ledger(path: sqlitePath, configuration: configuration)
        case .postgres:
            return try PostgresLedger(url: try #require(url), configuration: configuration, refreshInterval: refresh)
        }
    }

    func queue(
        clock: any RouterClock, replica: String? = nil, leaseMillis: Int64 = 30_000,
        accounting: (any UsageAccounting)? = nil
    ) throws -> any TaskQueueProtocol {
        switch kind {
        case .sqlite: return try TaskQueue(path: sqlitePath, clock: clock, accounting: accounting)
        case .postgres:
            return try PostgresTaskQueue(
                url: try #require(url), clock: clock, replicaID: replica, leaseMillis: leaseMillis,
                accounting: accounting)
        }
    }

    func reader() throws -> any ReportReaderProtocol {
        switch kind {
        case .sqlite: return try ReportReader(path: sqlitePath)
        case .postgres: return try PostgresReportReader(url: try #require(url))
        }
    }

    /// Marks the store as written by a build `ahead` schema versions newer than this one.
    func pretendNewerSchema(ahead: Int64 = 1) throws {
        switch kind {
        case .sqlite:
            let database = try Database(path: sqlitePath)
            let version = try database.pragmaInt("user_version")
            try database.execute("PRAGMA user_version = \(version + ahead)")
        case .postgres:
            let session = try PostgresSession(url: try #require(url))
            defer { session.close() }
            try session.execute("UPDATE claude_router_schema SET version = version + \(ahead)")
        }
    }
}

/// A clock the test moves.
final class TestClock: RouterClock, @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64
    init(_ millis: Int64) { self.millis = millis }
    func nowMillis() -> Int64 { lock.withLock { millis } }
    func advance(_ delta: Int64) { lock.withLock { millis += delta } }
}

enum Rows {
    /// 2026-11-10T12:00:00Z.
    static let now = UTCDay(year: 2026, month: 11, day: 10)!.startMillis + 12 * 3_600_000

    static func request(
        at millis: Int64 = now, client: String = "alice", taskType: String = "chat",
        model: String = "claude-haiku-4-5", cost: Int64 = 1_000, status: Int = 200, kind: UsageRecord.Kind = .request,
        id: String = UUID().uuidString
    ) -> UsageRecord {
        UsageRecord(
            kind: kind, timestampMillis: millis, requestID: id, attempt: kind == .attempt ? 1 : 0,
            upstreamRequestID: "req_up", client: client, taskType: taskType, confidenceMillis: 900,
            classifierReason: "rule", modelRequested: "auto", modelUsed: model, tier: "haiku", mode: .sync,
            status: status, errorType: status >= 400 ? "api_error" : nil,
            usage: TokenUsage(input: 100, output: 50, cacheWrite5m: 7, cacheWrite1h: 3, cacheRead: 300,
                webSearchRequests: 1),
            cost: Money(nanoUSD: cost), baselineCost: Money(nanoUSD: cost * 3),
            savedByRouting: Money(nanoUSD: cost), savedByCaching: Money(nanoUSD: cost),
            priceVersion: "claude-haiku-4-5@2025-10-01", policyHash: "sha256:p", latencyMillis: 12, retries: 0,
            cachePlan: "system:5m", deferral: "sync", savedByClientCache: Money(nanoUSD: 5),
            webSearchCost: Money(nanoUSD: 10_000_000), inferenceGeo: "us", cacheBy: .router)
    }

    static func task(
        _ id: String, client: String = "alice", created: Int64 = now, deadline: Int64? = nil, headers: String = "",
        callback: String? = nil
    ) -> DeferredTask {
        DeferredTask(
            id: id, client: client, createdMillis: created, deadlineMillis: deadline, taskType: "summarize",
            model: "claude-haiku-4-5", requestJSON: #"{"model":"claude-haiku-4-5","max_tokens":10,"messages":[]}"#,
            callbackURL: callback, metaJSON: #"{"reserved_nano":5}"#, headers: headers)
    }
}
