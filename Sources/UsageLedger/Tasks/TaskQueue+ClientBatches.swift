public import RouterCore
import Synchronization

/// Client-owned batches of the pass-through: every look-up is by id *and* client, so another client's batch and an
/// unknown id are the same nil.
extension TaskQueue {
    /// Stores a batch the API accepted, with one row per request (`custom_id` → the JSON text its ledger row is built
    /// from), in one transaction.
    ///
    /// - Throws: `.invalidInput` when the id or the upstream id is already stored, or a storage error.
    public func insertClientBatch(_ batch: ClientBatch, items: [(customID: String, metaJSON: String)])
        throws(LedgerError)
    {
        try database.withLock { database throws(LedgerError) in
            try database.transaction { () throws(LedgerError) in
                let insert = try database.prepare(
                    """
                    INSERT OR IGNORE INTO client_batches (id, client, upstream_batch_id, created, request_count, headers)
                        VALUES (?, ?, ?, ?, ?, ?)
                    """)
                insert.bind(all: [
                    .text(batch.id), .text(batch.client), .text(batch.upstreamBatchID), .integer(batch.createdMillis),
                    .integer(Int64(batch.requestCount)), .text(batch.headers),
                ])
                try insert.run()
                if database.changes != 1 {
                    throw LedgerError(code: .invalidInput, message: "Batch '\(batch.id)' is already stored")
                }
                let item = try database.prepare(
                    "INSERT INTO client_batch_items (batch_id, custom_id, meta_json) VALUES (?, ?, ?)")
                for (customID, meta) in items {
                    item.bind(all: [.text(batch.id), .text(customID), .text(meta)])
                    try item.run()
                }
            }
        }
    }

    /// The batch `id` when `client` owns it and has not deleted it; nil otherwise.
    public func clientBatch(id: String, client: String) throws(LedgerError) -> ClientBatch? {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.clientBatch(id: id, client: client, in: database)
        }
    }

    /// One page of `client`'s batches, newest first (the API's order): those older than `beforeID` … or newer than
    /// `afterID`, at most `limit` (plus one, so the caller can tell whether more exist).
    ///
    /// - Parameters:
    ///   - afterID: the page starts right after this batch (towards older ones), as the API's `after_id`.
    ///   - beforeID: the page ends right before this batch (towards newer ones), as the API's `before_id`.
    public func clientBatches(client: String, afterID: String?, beforeID: String?, limit: Int) throws(LedgerError)
        -> [ClientBatch]
    {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.clientBatchPage(
                client: client, afterID: afterID, beforeID: beforeID, limit: limit, in: database)
        }
    }

    /// The upstream ids of the newest `limit` client batches (deleted ones included): the reconciler must never take
    /// one of them for a lost batch of the router's own.
    public func clientBatchUpstreamIDs(limit: Int = 10_000) throws(LedgerError) -> Set<String> {
        try database.withLock { database throws(LedgerError) in
            try TaskRows.clientBatchUpstreamIDs(limit: limit, in: database)
        }
    }

    /// Marks `client`'s batch deleted: it is no longer listed or readable. Returns false when there was none.
    public func deleteClientBatch(id: String, client: String) throws(LedgerError) -> Bool {
        try database.withLock { database throws(LedgerError) in
            try database.run(
                "UPDATE client_batches SET deleted = 1 WHERE id = ? AND client = ? AND deleted = 0",
                binding: [.text(id), .text(client)])
            return database.changes == 1
        }
    }

    /// What the ledger row of each of `customIDs` in a batch is built from, for those not recorded yet.
    public func unrecordedItems(batchID: String, customIDs: [String]) throws(LedgerError) -> [String: String] {
        try database.withLock { database throws(LedgerError) in
            let statement = try database.prepare(
                "SELECT meta_json FROM client_batch_items WHERE batch_id = ? AND custom_id = ? AND recorded = 0")
            var items: [String: String] = [:]
            for customID in customIDs {
                defer { statement.reset() }
                statement.bind(all: [.text(batchID), .text(customID)])
                if try statement.step() { items[customID] = statement.text(0) }
            }
            return items
        }
    }

    /// Records the results of requests of a batch, each exactly once: for every `(customID, rows)` whose item is not
    /// yet recorded, marks it recorded and inserts its ledger rows (with the daily rollup), all in one transaction.
    ///
    /// - Returns: the rows actually inserted (those of results recorded before are skipped).
    public func recordClientBatchResults(batchID: String, _ results: [(customID: String, rows: [UsageRecord])])
        throws(LedgerError) -> [UsageRecord]
    {
        try database.withLock { database throws(LedgerError) in
            try database.transaction(accounting: accounting, usage: { $0 }) { () throws(LedgerError) -> [UsageRecord] in
                let mark = try database.prepare(
                    "UPDATE client_batch_items SET recorded = 1 WHERE batch_id = ? AND custom_id = ? AND recorded = 0")
                var inserted: [UsageRecord] = []
                for (customID, rows) in results {
                    mark.bind(all: [.text(batchID), .text(customID)])
                    try mark.run()
                    if database.changes == 1 { inserted += rows }
                }
                if !inserted.isEmpty { try UsageRows.insert(inserted, into: database) }
                return inserted
            }
        }
    }
}
