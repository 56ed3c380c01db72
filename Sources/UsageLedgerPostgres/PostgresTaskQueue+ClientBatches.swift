import Foundation
public import RouterCore
public import UsageLedger

/// Client batches (the pass-through): owned records, their items and their results.
extension PostgresTaskQueue {
    public func insertClientBatch(_ batch: ClientBatch, items: [(customID: String, metaJSON: String)])
        throws(LedgerError)
    {
        try session.transaction { () throws(LedgerError) in
            let changed = try session.execute(
                """
                INSERT INTO client_batches (id, client, upstream_batch_id, created, request_count, headers)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [
                    .text(batch.id), .text(batch.client), .text(batch.upstreamBatchID), .integer(batch.createdMillis),
                    .integer(Int64(batch.requestCount)), .text(batch.headers),
                ])
            if changed != 1 {
                throw LedgerError(code: .invalidInput, message: "Batch '\(batch.id)' is already stored")
            }
            var start = 0
            while start < items.count {
                let end = min(items.count, start + 5_000)
                let slice = items[start..<end]
                try session.execute(
                    "INSERT INTO client_batch_items (batch_id, custom_id, meta_json) VALUES "
                        + Array(repeating: "(?, ?, ?)", count: slice.count).joined(separator: ", "),
                    slice.flatMap { [SQLValue.text(batch.id), .text($0.customID), .text($0.metaJSON)] })
                start = end
            }
        }
    }

    public func clientBatch(id: String, client: String) throws(LedgerError) -> ClientBatch? {
        try TaskRows.clientBatch(id: id, client: client, in: session)
    }

    public func clientBatches(client: String, afterID: String?, beforeID: String?, limit: Int) throws(LedgerError)
        -> [ClientBatch]
    {
        try TaskRows.clientBatchPage(client: client, afterID: afterID, beforeID: beforeID, limit: limit, in: session)
    }

    public func clientBatchUpstreamIDs(limit: Int) throws(LedgerError) -> Set<String> {
        try TaskRows.clientBatchUpstreamIDs(limit: limit, in: session)
    }

    public func deleteClientBatch(id: String, client: String) throws(LedgerError) -> Bool {
        try session.execute(
            "UPDATE client_batches SET deleted = 1 WHERE id = ? AND client = ? AND deleted = 0",
            [.text(id), .text(client)]) == 1
    }

    public func unrecordedItems(batchID: String, customIDs: [String]) throws(LedgerError) -> [String: String] {
        guard !customIDs.isEmpty else { return [:] }
        var items: [String: String] = [:]
        var start = 0
        while start < customIDs.count {
            let end = min(customIDs.count, start + 5_000)
            let slice = customIDs[start..<end]
            for row in try session.query(
                "SELECT custom_id, meta_json FROM client_batch_items WHERE batch_id = ? AND recorded = 0"
                    + " AND custom_id IN (\(TaskRows.marks(slice.count)))", [.text(batchID)] + slice.map { .text($0) })
            {
                items[row.text(0)] = row.text(1)
            }
            start = end
        }
        return items
    }

    public func recordClientBatchResults(batchID: String, _ results: [(customID: String, rows: [UsageRecord])])
        throws(LedgerError) -> [UsageRecord]
    {
        try session.transaction(accounting: accounting, usage: { $0 }) { () throws(LedgerError) -> [UsageRecord] in
            var inserted: [UsageRecord] = []
            for (customID, rows) in results {
                let changed = try session.execute(
                    "UPDATE client_batch_items SET recorded = 1 WHERE batch_id = ? AND custom_id = ? AND recorded = 0",
                    [.text(batchID), .text(customID)])
                if changed == 1 { inserted += rows }
            }
            try PostgresUsageRows.insert(inserted, session: session)
            return inserted
        }
    }
}
