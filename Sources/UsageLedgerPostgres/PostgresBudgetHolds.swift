import Foundation
public import Logging
import PostgresNIO
public import RouterCore
import Synchronization
public import UsageLedger

/// Budget holds in the shared database (`budget_holds`), so every replica admits against the same budget
/// (`SharedBudgetHolds`, docs/ledger.md "How far budgets hold across replicas").
///
/// - `admit` is one statement, `claude_router_hold_budget(…)`: under a transaction-scoped advisory lock per client, it
///   sums the client's committed spend (the rollup) and every replica's live holds, and inserts the hold only if every
///   hard limit stays met. The lock is held until the insert commits, so two replicas never both take the last of a
///   budget; each statement of the function reads a snapshot taken after the lock, so it sees every hold committed
///   before it.
/// - A call's hold lives while its replica's lease (`replicas`, renewed by the batch scheduler) does and for at most its
///   expiry: a killed replica's in-flight holds stop counting when its lease expires. A deferred task's hold (`keep`)
///   and a client batch's last until released, whichever replica finishes the work; a periodic sweep drops task holds
///   whose task has ended and the holds of dead replicas.
/// - `release` deletes a hold only after `durable` returns (the ledger's flush): at every moment the work's cost is in
///   committed spend, or held, or both (briefly), never neither.
///
/// Its own connection pool (postgres-nio's `PostgresClient`): admissions are awaited by request handlers, so they run
/// on the event loop rather than on the blocking sessions of the ledger and task queue.
public final class PostgresBudgetHolds: SharedBudgetHolds {
    /// The migration that creates the table and the admission function (appended to `PostgresSchema.migrations`).
    /// Statements inside the function end with a comment, since migrations are split at `;` line ends.
    static let migration = """
        CREATE TABLE budget_holds (
            request_id TEXT PRIMARY KEY,
            replica TEXT NOT NULL,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            amount_nano BIGINT NOT NULL,
            day BIGINT NOT NULL,
            month BIGINT NOT NULL,
            expires BIGINT,
            follows_replica BOOLEAN NOT NULL,
            created BIGINT NOT NULL
        );
        CREATE INDEX budget_holds_by_client ON budget_holds(client, month);
        CREATE FUNCTION claude_router_hold_budget(
            p_id TEXT, p_replica TEXT, p_client TEXT, p_task_type TEXT, p_amount BIGINT, p_day BIGINT, p_month BIGINT,
            p_expires BIGINT, p_follows BOOLEAN, p_now BIGINT,
            p_client_day BIGINT, p_client_month BIGINT, p_type_day BIGINT, p_type_month BIGINT
        ) RETURNS TABLE (
            admitted BOOLEAN, spent_day BIGINT, spent_month BIGINT, held_day BIGINT, held_month BIGINT,
            type_spent_day BIGINT, type_spent_month BIGINT, type_held_day BIGINT, type_held_month BIGINT
        ) LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(1651863396, hashtext(p_client)); -- one admission per client at a time
            SELECT COALESCE(SUM(r.cost_nano) FILTER (WHERE r.day = p_day), 0)::BIGINT,
                   COALESCE(SUM(r.cost_nano), 0)::BIGINT,
                   COALESCE(SUM(r.cost_nano) FILTER (WHERE r.day = p_day AND r.task_type = p_task_type), 0)::BIGINT,
                   COALESCE(SUM(r.cost_nano) FILTER (WHERE r.task_type = p_task_type), 0)::BIGINT
              INTO spent_day, spent_month, type_spent_day, type_spent_month
              FROM daily_rollup r
             WHERE r.client = p_client AND r.day >= p_month AND r.day <= p_day; -- committed spend, every replica
            SELECT COALESCE(SUM(h.amount_nano) FILTER (WHERE h.day = p_day), 0)::BIGINT,
                   COALESCE(SUM(h.amount_nano), 0)::BIGINT,
                   COALESCE(SUM(h.amount_nano) FILTER (WHERE h.day = p_day AND h.task_type = p_task_type), 0)::BIGINT,
                   COALESCE(SUM(h.amount_nano) FILTER (WHERE h.task_type = p_task_type), 0)::BIGINT
              INTO held_day, held_month, type_held_day, type_held_month
              FROM budget_holds h
             WHERE h.client = p_client AND h.month = p_month
               AND (h.expires IS NULL OR h.expires > p_now)
               AND (NOT h.follows_replica
                    OR EXISTS (SELECT 1 FROM replicas x WHERE x.id = h.replica AND x.lease_until > p_now)); -- live holds
            admitted := (p_client_day IS NULL OR spent_day + held_day + p_amount <= p_client_day)
                AND (p_client_month IS NULL OR spent_month + held_month + p_amount <= p_client_month)
                AND (p_type_day IS NULL OR type_spent_day + type_held_day + p_amount <= p_type_day)
                AND (p_type_month IS NULL OR type_spent_month + type_held_month + p_amount <= p_type_month); -- limits
            IF admitted THEN
                INSERT INTO budget_holds (request_id, replica, client, task_type, amount_nano, day, month, expires,
                                          follows_replica, created)
                VALUES (p_id, p_replica, p_client, p_task_type, p_amount, p_day, p_month, p_expires, p_follows, p_now)
                ON CONFLICT (request_id) DO UPDATE SET amount_nano = EXCLUDED.amount_nano,
                    expires = EXCLUDED.expires, follows_replica = EXCLUDED.follows_replica; -- reserve
            END IF; -- done
            RETURN NEXT; -- one row
        END
        $$
        """

    /// How often the sweep drops the holds of ended tasks and dead replicas.
    static let sweepInterval: Duration = .seconds(10)

    private enum Op: Sendable {
        case keep(String, Money)
        case release(String)
    }

    /// The keeps and releases not yet applied, in order.
    private final class Pending: Sendable {
        let ops = Mutex<[Op]>([])
    }

    private let client: PostgresClient
    private let replicaID: String
    private let durable: @Sendable () async -> Void
    private let logger: Logger
    private let pending: Pending
    private let signal: AsyncStream<Void>.Continuation
    private let tasks: [Task<Void, Never>]

    /// Connects to `url` (the schema must be migrated: open the ledger or task queue first).
    ///
    /// - Parameters:
    ///   - replicaID: this replica's id in `replicas` (the task queue's), whose lease keeps its in-flight holds alive.
    ///   - durable: returns once every ledger row recorded before the call is committed (the ledger's `flush`).
    /// - Throws: `.database` when TLS cannot be set up.
    public init(
        url: PostgresURL, replicaID: String, clock: any RouterClock = SystemClock(),
        durable: @escaping @Sendable () async -> Void, logger: Logger = Logger(label: "claude-router.postgres")
    ) throws(LedgerError) {
        var tls = PostgresClient.Configuration.TLS.disable
        if url.requireTLS { tls = .require(.makeClientConfiguration()) }
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: tls)
        configuration.options.maximumConnections = 8
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        self.client = client
        self.replicaID = replicaID
        self.durable = durable
        self.logger = quiet
        let (stream, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.signal = signal
        let startMillis = clock.nowMillis()
        let pending = Pending()
        self.pending = pending
        let run = Task { await client.run() }
        let worker = Task {
            // In-flight holds this replica id left in an earlier life (a restart within its lease).
            _ = try? await Self.execute(
                client, "DELETE FROM budget_holds WHERE replica = $1 AND follows_replica AND created < $2",
                [.text(replicaID), .integer(startMillis)])
            for await _ in stream {
                let batch = pending.ops.withLock { taken in
                    defer { taken = [] }
                    return taken
                }
                if await !Self.apply(batch, client: client, durable: durable, logger: quiet) {
                    // Kept for the next try (a hold left behind only errs on the side of the budget meanwhile).
                    pending.ops.withLock { $0.insert(contentsOf: batch, at: 0) }
                    try? await Task.sleep(for: .seconds(1))
                    signal.yield()
                }
            }
        }
        let sweeper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.sweepInterval)
                let now = clock.nowMillis()
                do {
                    try await Self.execute(client, Self.sweep, [.integer(now), .integer(now - 60_000)])
                } catch {
                    quiet.warning("sweeping budget holds failed", metadata: ["error": "\(error)"])
                }
            }
        }
        self.tasks = [run, worker, sweeper]
    }

    deinit {
        signal.finish()
        for task in tasks { task.cancel() }
    }

    /// Holds of calls whose replica died or that expired, and holds of deferred tasks that ended (a task's hold is
    /// `rtr_…`, its task `task_…` with the same suffix; client batches' holds have other ids and are kept).
    static let sweep = """
        DELETE FROM budget_holds h
        WHERE (h.follows_replica
               AND (h.expires <= $1
                    OR NOT EXISTS (SELECT 1 FROM replicas x WHERE x.id = h.replica AND x.lease_until > $1)))
           OR (NOT h.follows_replica AND h.request_id LIKE 'rtr\\_%' AND h.created < $2
               AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = 'task_' || substr(h.request_id, 5)
                               AND t.state IN ('pending', 'submitted', 'running')))
        """

    public func admit(
        _ id: String, hold: BudgetReservations.Hold, limits: SharedBudgetLimits, followsReplica: Bool,
        nowMillis: Int64
    ) async throws -> SharedBudgetTotals {
        let month = hold.day.firstOfMonth.daysSinceEpoch
        let rows: [PostgresRandomAccessRow]
        do {
            rows = try await Self.rows(
                client,
                """
                SELECT admitted, spent_day, spent_month, held_day, held_month, type_spent_day, type_spent_month,
                       type_held_day, type_held_month
                FROM claude_router_hold_budget($1::TEXT, $2::TEXT, $3::TEXT, $4::TEXT, $5::BIGINT, $6::BIGINT,
                    $7::BIGINT, $8::BIGINT, $9::BOOLEAN, $10::BIGINT, $11::BIGINT, $12::BIGINT, $13::BIGINT, $14::BIGINT)
                """,
                [
                    .text(id), .text(replicaID), .text(hold.client), .text(hold.taskType), .integer(hold.amount.nanoUSD),
                    .integer(hold.day.daysSinceEpoch), .integer(month), .value(hold.expiresAtMillis),
                    .bool(followsReplica), .integer(nowMillis), .value(limits.clientDaily?.nanoUSD),
                    .value(limits.clientMonthly?.nanoUSD), .value(limits.taskTypeDaily?.nanoUSD),
                    .value(limits.taskTypeMonthly?.nanoUSD),
                ])
        } catch {
            logger.warning(
                "a shared budget admission failed; this replica checks on its own",
                metadata: ["error": "\(error)", "client": "\(hold.client)"])
            throw error
        }
        guard let row = rows.first else {
            throw LedgerError(code: .database, message: "claude_router_hold_budget returned no row")
        }
        func money(_ index: Int) -> Money { Money(nanoUSD: (try? row[index].decode(Int64.self)) ?? 0) }
        return SharedBudgetTotals(
            admitted: (try? row[0].decode(Bool.self)) ?? false,
            client: .init(spentDay: money(1), spentMonth: money(2), heldDay: money(3), heldMonth: money(4)),
            taskType: .init(spentDay: money(5), spentMonth: money(6), heldDay: money(7), heldMonth: money(8)))
    }

    public func keep(_ id: String, amount: Money) {
        pending.ops.withLock { $0.append(.keep(id, amount)) }
        signal.yield()
    }

    public func release(_ id: String) {
        pending.ops.withLock { $0.append(.release(id)) }
        signal.yield()
    }

    /// Applies queued keeps, then (once the ledger is durable) releases; false (logged) when a statement failed.
    private static func apply(
        _ batch: [Op], client: PostgresClient, durable: @Sendable () async -> Void, logger: Logger
    ) async -> Bool {
        var keeps: [(String, Int64)] = []
        var releases: [String] = []
        for op in batch {
            switch op {
            case .keep(let id, let amount): keeps.append((id, amount.nanoUSD))
            case .release(let id): releases.append(id)
            }
        }
        do {
            if !keeps.isEmpty {
                try await execute(
                    client,
                    """
                    UPDATE budget_holds AS h SET amount_nano = v.amount, expires = NULL, follows_replica = FALSE
                    FROM unnest($1::TEXT[], $2::BIGINT[]) AS v(id, amount) WHERE h.request_id = v.id
                    """, [.texts(keeps.map(\.0)), .integers(keeps.map(\.1))])
            }
            if !releases.isEmpty {
                await durable()
                try await execute(
                    client, "DELETE FROM budget_holds WHERE request_id = ANY($1::TEXT[])", [.texts(releases)])
            }
        } catch {
            logger.warning(
                "updating shared budget holds failed", metadata: ["error": "\(error)", "holds": "\(batch.count)"])
            return false
        }
        return true
    }

    private enum Bind {
        case text(String)
        case integer(Int64)
        case bool(Bool)
        case null
        case texts([String])
        case integers([Int64])

        static func value(_ int: Int64?) -> Bind { int.map { .integer($0) } ?? .null }
    }

    private static func query(_ sql: String, _ binds: [Bind]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .text(let value): bindings.append(value)
            case .integer(let value): bindings.append(value)
            case .bool(let value): bindings.append(value)
            case .null: bindings.appendNull()
            case .texts(let value): bindings.append(value)
            case .integers(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    private static func rows(_ client: PostgresClient, _ sql: String, _ binds: [Bind]) async throws(LedgerError)
        -> [PostgresRandomAccessRow]
    {
        do {
            var found: [PostgresRandomAccessRow] = []
            for try await row in try await client.query(query(sql, binds)) { found.append(row.makeRandomAccess()) }
            return found
        } catch {
            throw PostgresSession.error(error, during: "A budget hold statement")
        }
    }

    @discardableResult
    private static func execute(_ client: PostgresClient, _ sql: String, _ binds: [Bind]) async throws(LedgerError)
        -> Int
    {
        try await rows(client, sql, binds).count
    }
}
