/// The ledger's schema, as numbered migrations applied in order and tracked by `PRAGMA user_version`.
///
/// Never edit a shipped migration: append a new one. A database whose `user_version` is higher than the last
/// migration was written by a newer build and is refused with `.newerSchema` rather than misread.
enum Schema {
    /// Migration `i` brings the schema from version `i` to `i + 1`.
    static let migrations: [String] = [
        // Version 1: usage rows, the daily rollup, the durable task queue.
        """
        CREATE TABLE usage (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ts INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            upstream_request_id TEXT,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            confidence_millis INTEGER NOT NULL,
            classifier_reason TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            model_used TEXT NOT NULL,
            tier TEXT NOT NULL,
            mode TEXT NOT NULL,
            status INTEGER NOT NULL,
            error_type TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_5m_tokens INTEGER NOT NULL,
            cache_write_1h_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            usage_estimated INTEGER NOT NULL,
            cost_nano INTEGER NOT NULL,
            baseline_nano INTEGER NOT NULL,
            saved_routing_nano INTEGER NOT NULL,
            saved_caching_nano INTEGER NOT NULL,
            saved_batching_nano INTEGER NOT NULL,
            price_version TEXT NOT NULL,
            policy_hash TEXT NOT NULL,
            latency_ms INTEGER NOT NULL,
            upstream_latency_ms INTEGER NOT NULL,
            queue_wait_ms INTEGER NOT NULL,
            retries INTEGER NOT NULL,
            cache_plan TEXT NOT NULL,
            deferral TEXT NOT NULL
        );
        CREATE INDEX usage_by_time ON usage(ts);
        CREATE INDEX usage_by_client_time ON usage(client, ts);
        CREATE INDEX usage_by_request ON usage(request_id);
        CREATE TABLE daily_rollup (
            day INTEGER NOT NULL,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            model TEXT NOT NULL,
            mode TEXT NOT NULL,
            requests INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            retries INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_5m_tokens INTEGER NOT NULL,
            cache_write_1h_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cost_nano INTEGER NOT NULL,
            baseline_nano INTEGER NOT NULL,
            saved_routing_nano INTEGER NOT NULL,
            saved_caching_nano INTEGER NOT NULL,
            saved_batching_nano INTEGER NOT NULL,
            PRIMARY KEY (day, client, task_type, model, mode)
        ) WITHOUT ROWID;
        CREATE INDEX daily_rollup_by_client ON daily_rollup(client, day);
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            upstream_batch_id TEXT,
            state TEXT NOT NULL,
            created INTEGER NOT NULL,
            submitted INTEGER,
            ended INTEGER
        );
        CREATE INDEX batches_by_state ON batches(state);
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            created INTEGER NOT NULL,
            deadline INTEGER,
            priority TEXT NOT NULL,
            task_type TEXT NOT NULL,
            model TEXT NOT NULL,
            request_json TEXT NOT NULL,
            state TEXT NOT NULL,
            batch_id TEXT REFERENCES batches(id),
            custom_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            result_json TEXT,
            error TEXT,
            callback_url TEXT,
            updated INTEGER NOT NULL
        );
        CREATE INDEX tasks_by_state_created ON tasks(state, created);
        CREATE INDEX tasks_by_client_state ON tasks(client, state);
        CREATE INDEX tasks_by_batch ON tasks(batch_id);
        """,
        // Version 2: what the batch scheduler needs to answer for a task, price it and deliver its callback.
        """
        ALTER TABLE tasks ADD COLUMN meta_json TEXT;
        ALTER TABLE tasks ADD COLUMN cost_nano INTEGER;
        ALTER TABLE tasks ADD COLUMN callback_state TEXT;
        ALTER TABLE tasks ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tasks ADD COLUMN callback_next INTEGER;
        ALTER TABLE batches ADD COLUMN task_count INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX tasks_by_callback ON tasks(callback_state, callback_next);
        CREATE INDEX batches_by_upstream ON batches(upstream_batch_id);
        """,
        // Version 3: deferred tasks keep the pass-through headers that change the API's behaviour (a batch is packed
        // from tasks of one header set, since the headers apply to the whole create call); a batch can carry a note
        // (why its results could not be read).
        """
        ALTER TABLE tasks ADD COLUMN headers TEXT NOT NULL DEFAULT '';
        ALTER TABLE batches ADD COLUMN note TEXT;
        CREATE INDEX tasks_by_state_headers ON tasks(state, headers, created);
        """,
        // Version 4: web searches and their fee, the billed inference geo, whose cache breakpoints a request carried
        // and what the client's own ones saved. Columns with defaults: every existing row is kept as it was (no
        // searches, no geo, no client cache marks).
        """
        ALTER TABLE usage ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE usage ADD COLUMN web_search_nano INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE usage ADD COLUMN inference_geo TEXT;
        ALTER TABLE usage ADD COLUMN saved_client_cache_nano INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE usage ADD COLUMN cache_by TEXT NOT NULL DEFAULT 'none';
        ALTER TABLE daily_rollup ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE daily_rollup ADD COLUMN web_search_nano INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE daily_rollup ADD COLUMN saved_client_cache_nano INTEGER NOT NULL DEFAULT 0;
        """,
        // Version 5: the router model's difficulty of each request (docs/routing.md); empty for older rows.
        """
        ALTER TABLE usage ADD COLUMN difficulty TEXT NOT NULL DEFAULT '';
        """,
        // Version 6: Message Batches created by clients through the pass-through, each owned by its client
        // (the router's id maps to the API's); one row per request of such a batch, with what its ledger row needs
        // and whether its result was recorded (so re-reading the results records nothing twice); and synchronous
        // task results spilled from memory.
        """
        CREATE TABLE client_batches (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            upstream_batch_id TEXT NOT NULL UNIQUE,
            created INTEGER NOT NULL,
            request_count INTEGER NOT NULL,
            headers TEXT NOT NULL DEFAULT '',
            deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX client_batches_by_client ON client_batches(client, created, id);
        CREATE TABLE client_batch_items (
            batch_id TEXT NOT NULL REFERENCES client_batches(id),
            custom_id TEXT NOT NULL,
            meta_json TEXT NOT NULL,
            recorded INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (batch_id, custom_id)
        ) WITHOUT ROWID;
        CREATE TABLE task_results (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            created INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX task_results_by_created ON task_results(created);
        """,
        // Version 7: budget alerts, one row per budget, period and level (the id says which), inserted before the
        // webhook is sent: a crossing is alerted once per period, across restarts; delivery state and retries.
        """
        CREATE TABLE budget_alerts (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            task_type TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start INTEGER NOT NULL,
            level TEXT NOT NULL,
            created INTEGER NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt INTEGER
        );
        CREATE INDEX budget_alerts_by_state ON budget_alerts(state, next_attempt);
        """,
    ]

    /// The schema version this build writes.
    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Puts the connection in WAL mode and brings the schema up to `currentVersion`.
    ///
    /// - Throws: `.newerSchema` for a database from a newer build, `.readOnly` when the file cannot be written,
    ///   `.corrupt` for a file that is not a database.
    static func prepare(_ database: Database) throws(LedgerError) {
        // journal_mode is the first statement that reads the file header, so a non-database fails here (NOTADB).
        try database.execute("PRAGMA journal_mode=WAL")
        if database.isReadOnly {
            throw LedgerError.sqlite(
                8, "the file is opened read-only", path: database.path, during: "Opening the ledger for writing")
        }
        try database.execute("PRAGMA synchronous=NORMAL")
        try database.execute("PRAGMA foreign_keys=ON")
        try migrate(database)
    }

    /// Applies the missing migrations, each in its own transaction with its version bump.
    static func migrate(_ database: Database) throws(LedgerError) {
        let found = try database.pragmaInt("user_version")
        try checkVersion(found, path: database.path)
        var version = found
        while version < currentVersion {
            try database.transaction { () throws(LedgerError) in
                try database.execute(migrations[Int(version)])
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
            version += 1
        }
    }

    /// Refuses a database from a newer build.
    static func checkVersion(_ found: Int64, path: String) throws(LedgerError) {
        if found > currentVersion {
            throw LedgerError(
                code: .newerSchema,
                message: "The ledger '\(path)' has schema version \(found), newer than this build's"
                    + " \(currentVersion): run a claude-router at least as new as the one that wrote it"
                    + " (the file is left untouched)")
        }
    }
}
