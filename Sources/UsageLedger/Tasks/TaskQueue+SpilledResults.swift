import Synchronization

/// Results of synchronous tasks that no longer fit in memory: written here by the service's bounded result store,
/// read back (by their owner only) for `GET /v1/tasks/{id}`.
extension TaskQueue {
    /// Stores spilled results in one transaction (a result stored again replaces the earlier one), and drops those
    /// created before `expireBeforeMillis`.
    public func spillResults(
        _ results: [(id: String, client: String, createdMillis: Int64, body: String)], expireBeforeMillis: Int64
    ) throws(LedgerError) {
        try database.withLock { database throws(LedgerError) in
            try database.transaction { () throws(LedgerError) in
                let insert = try database.prepare(
                    "INSERT OR REPLACE INTO task_results (id, client, created, body) VALUES (?, ?, ?, ?)")
                for result in results {
                    insert.bind(all: [
                        .text(result.id), .text(result.client), .integer(result.createdMillis), .text(result.body),
                    ])
                    try insert.run()
                }
                let expire = try database.prepare("DELETE FROM task_results WHERE created < ?")
                expire.bind(all: [.integer(expireBeforeMillis)])
                try expire.run()
            }
        }
    }

    /// The spilled result `id` when `client` created it; nil otherwise (unknown, expired, or another client's).
    public func spilledResult(id: String, client: String) throws(LedgerError) -> String? {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare("SELECT body FROM task_results WHERE id = ? AND client = ?")
            defer { statement.reset() }
            statement.bind(all: [.text(id), .text(client)])
            return try statement.step() ? statement.text(0) : nil
        }
    }
}
