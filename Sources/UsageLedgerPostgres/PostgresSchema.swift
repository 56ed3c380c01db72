import Foundation
import UsageLedger

/// The PostgreSQL schema, as numbered migrations applied in order at start, under an advisory lock so replicas that
/// start together migrate once; the version is kept in `claude_router_schema`.
///
/// Never edit a shipped migration: append one. A database whose version is higher than the last migration was
/// written by a newer build and is refused with `.newerSchema`. Money is BIGINT nano-dollars, times are BIGINT
/// milliseconds since the epoch (UTC), as in the SQLite ledger.
enum PostgresSchema {
    /// The advisory lock key every replica takes while it migrates (an arbitrary constant: "claude-router").
    static let lockKey: Int64 = 0x636c_6175_6465_7274

    /// Migration `i` brings the schema from version `i` to `i + 1`; statements are separated by `;` at line ends.
    static let migrations: [String] = [
        // Version 1: the SQLite ledger's schema at its version 6, and what several replicas need besides: who holds
        // a batch, a run or a callback (`owner`) and until when (`lease_until`), and each replica's heartbeat.
        """
        CREATE TABLE usage (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind TEXT NOT NULL,
            ts BIGINT NOT NULL,
            request_id TEXT NOT NULL,
            attempt BIGINT NOT NULL,
            upstream_request_id TEXT,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            confidence_millis BIGINT NOT NULL,
            classifier_reason TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            model_used TEXT NOT NULL,
            tier TEXT NOT NULL,
            mode TEXT NOT NULL,
            status BIGINT NOT NULL,
            error_type TEXT,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            cache_write_5m_tokens BIGINT NOT NULL,
            cache_write_1h_tokens BIGINT NOT NULL,
            cache_read_tokens BIGINT NOT NULL,
            usage_estimated BIGINT NOT NULL,
            cost_nano BIGINT NOT NULL,
            baseline_nano BIGINT NOT NULL,
            saved_routing_nano BIGINT NOT NULL,
            saved_caching_nano BIGINT NOT NULL,
            saved_batching_nano BIGINT NOT NULL,
            price_version TEXT NOT NULL,
            policy_hash TEXT NOT NULL,
            latency_ms BIGINT NOT NULL,
            upstream_latency_ms BIGINT NOT NULL,
            queue_wait_ms BIGINT NOT NULL,
            retries BIGINT NOT NULL,
            cache_plan TEXT NOT NULL,
            deferral TEXT NOT NULL,
            web_search_requests BIGINT NOT NULL DEFAULT 0,
            web_search_nano BIGINT NOT NULL DEFAULT 0,
            inference_geo TEXT,
            saved_client_cache_nano BIGINT NOT NULL DEFAULT 0,
            cache_by TEXT NOT NULL DEFAULT 'none',
            difficulty TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX usage_by_time ON usage(ts);
        CREATE INDEX usage_by_client_time ON usage(client, ts);
        CREATE INDEX usage_by_request ON usage(request_id);
        CREATE TABLE daily_rollup (
            day BIGINT NOT NULL,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            model TEXT NOT NULL,
            mode TEXT NOT NULL,
            requests BIGINT NOT NULL,
            errors BIGINT NOT NULL,
            retries BIGINT NOT NULL,
            attempts BIGINT NOT NULL,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            cache_write_5m_tokens BIGINT NOT NULL,
            cache_write_1h_tokens BIGINT NOT NULL,
            cache_read_tokens BIGINT NOT NULL,
            cost_nano BIGINT NOT NULL,
            baseline_nano BIGINT NOT NULL,
            saved_routing_nano BIGINT NOT NULL,
            saved_caching_nano BIGINT NOT NULL,
            saved_batching_nano BIGINT NOT NULL,
            web_search_requests BIGINT NOT NULL DEFAULT 0,
            web_search_nano BIGINT NOT NULL DEFAULT 0,
            saved_client_cache_nano BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, client, task_type, model, mode)
        );
        CREATE INDEX daily_rollup_by_client ON daily_rollup(client, day);
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            upstream_batch_id TEXT,
            state TEXT NOT NULL,
            created BIGINT NOT NULL,
            submitted BIGINT,
            ended BIGINT,
            task_count BIGINT NOT NULL DEFAULT 0,
            note TEXT,
            owner TEXT
        );
        CREATE INDEX batches_by_state ON batches(state);
        CREATE INDEX batches_by_upstream ON batches(upstream_batch_id);
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            created BIGINT NOT NULL,
            deadline BIGINT,
            priority TEXT NOT NULL,
            task_type TEXT NOT NULL,
            model TEXT NOT NULL,
            request_json TEXT NOT NULL,
            state TEXT NOT NULL,
            batch_id TEXT REFERENCES batches(id),
            custom_id TEXT,
            attempts BIGINT NOT NULL DEFAULT 0,
            result_json TEXT,
            error TEXT,
            callback_url TEXT,
            updated BIGINT NOT NULL,
            meta_json TEXT,
            cost_nano BIGINT,
            callback_state TEXT,
            callback_attempts BIGINT NOT NULL DEFAULT 0,
            callback_next BIGINT,
            headers TEXT NOT NULL DEFAULT '',
            owner TEXT
        );
        CREATE INDEX tasks_by_state_created ON tasks(state, created);
        CREATE INDEX tasks_by_client_state ON tasks(client, state);
        CREATE INDEX tasks_by_batch ON tasks(batch_id);
        CREATE INDEX tasks_by_callback ON tasks(callback_state, callback_next);
        CREATE INDEX tasks_by_state_headers ON tasks(state, headers, created);
        CREATE TABLE client_batches (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            upstream_batch_id TEXT NOT NULL UNIQUE,
            created BIGINT NOT NULL,
            request_count BIGINT NOT NULL,
            headers TEXT NOT NULL DEFAULT '',
            deleted BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX client_batches_by_client ON client_batches(client, created, id);
        CREATE TABLE client_batch_items (
            batch_id TEXT NOT NULL REFERENCES client_batches(id),
            custom_id TEXT NOT NULL,
            meta_json TEXT NOT NULL,
            recorded BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (batch_id, custom_id)
        );
        CREATE TABLE task_results (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            created BIGINT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX task_results_by_created ON task_results(created);
        CREATE TABLE replicas (
            id TEXT PRIMARY KEY,
            started BIGINT NOT NULL,
            lease_until BIGINT NOT NULL
        )
        """,
        // Version 2: budget alerts (the SQLite ledger's version 7). An alert's id names its budget, period and level,
        // so the primary key makes a crossing alerted once per period across replicas.
        """
        CREATE TABLE budget_alerts (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start BIGINT NOT NULL,
            level TEXT NOT NULL,
            created BIGINT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt BIGINT
        );
        CREATE INDEX budget_alerts_by_state ON budget_alerts(state, next_attempt)
        """,
        PostgresBudgetHolds.migration,
    ]

    /// The schema version this build writes.
    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Brings the schema up to `currentVersion`, holding the advisory lock for the whole of it.
    ///
    /// - Throws: `.newerSchema` for a database a newer build migrated (nothing is changed), or `.database`.
    static func migrate(_ session: PostgresSession) throws(LedgerError) {
        try session.execute("SELECT pg_advisory_lock(?)", [.integer(lockKey)])
        defer { _ = try? session.execute("SELECT pg_advisory_unlock(?)", [.integer(lockKey)]) }
        try session.execute("CREATE TABLE IF NOT EXISTS claude_router_schema (version BIGINT NOT NULL)")
        var version = try readVersion(session)
        try checkVersion(version, url: session.url)
        while version < currentVersion {
            let next = version + 1
            let statements = migrations[Int(version)].components(separatedBy: ";\n")
            try session.transaction { () throws(LedgerError) in
                for statement in statements where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try session.execute(statement)
                }
                try session.execute("DELETE FROM claude_router_schema")
                try session.execute("INSERT INTO claude_router_schema (version) VALUES (?)", [.integer(next)])
            }
            version = next
        }
    }

    /// The schema version stored in the database (0 for a new one).
    static func readVersion(_ session: PostgresSession) throws(LedgerError) -> Int64 {
        try session.query("SELECT COALESCE(MAX(version), 0) FROM claude_router_schema").first?.int64(0) ?? 0
    }

    /// Refuses a database from a newer build.
    static func checkVersion(_ found: Int64, url: PostgresURL) throws(LedgerError) {
        if found > currentVersion {
            throw LedgerError(
                code: .newerSchema,
                message: "The database \(url) has schema version \(found), newer than this build's"
                    + " \(currentVersion): run a claude-router at least as new as the one that migrated it"
                    + " (the database is left untouched)")
        }
    }
}
