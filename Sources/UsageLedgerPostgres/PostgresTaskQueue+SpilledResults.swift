import Foundation
import RouterCore
public import UsageLedger

/// Task results too large for memory, kept for their owner.
extension PostgresTaskQueue {
    public func spillResults(
        _ results: [(id: String, client: String, createdMillis: Int64, body: String)], expireBeforeMillis: Int64
    ) throws(LedgerError) {
        try session.transaction { () throws(LedgerError) in
            for result in results {
                try session.execute(
                    """
                    INSERT INTO task_results (id, client, created, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET client = EXCLUDED.client, created = EXCLUDED.created,
                        body = EXCLUDED.body
                    """, [.text(result.id), .text(result.client), .integer(result.createdMillis), .text(result.body)])
            }
            try session.execute("DELETE FROM task_results WHERE created < ?", [.integer(expireBeforeMillis)])
        }
    }

    public func spilledResult(id: String, client: String) throws(LedgerError) -> String? {
        try session.query("SELECT body FROM task_results WHERE id = ? AND client = ?", [.text(id), .text(client)])
            .first?.text(0)
    }
}
