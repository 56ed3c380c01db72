/// A Message Batch object: `{id, type:"message_batch", processing_status, request_counts, ended_at, created_at,
/// expires_at, cancel_initiated_at, archived_at, results_url}`. Timestamps are RFC 3339 strings or null.
public struct MessageBatch: JSONView {
    /// `processing_status`: `in_progress`, `canceling` or `ended`; other strings are kept.
    public struct ProcessingStatus: OpenStringValue {
        /// The status string.
        public var rawValue: String
        /// Wraps a status string.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Requests are being processed.
        public static let inProgress: ProcessingStatus = "in_progress"
        /// Cancel was asked; in-flight requests may still finish.
        public static let canceling: ProcessingStatus = "canceling"
        /// Every request has a result.
        public static let ended: ProcessingStatus = "ended"
    }

    /// `request_counts`: how many requests are in each state; the non-processing counts stay 0 until the end.
    public struct RequestCounts: Sendable, Hashable {
        /// Requests still processing.
        public var processing: Int
        /// Requests that succeeded.
        public var succeeded: Int
        /// Requests that errored.
        public var errored: Int
        /// Requests canceled.
        public var canceled: Int
        /// Requests that expired.
        public var expired: Int

        /// Makes counts; all zero by default.
        public init(processing: Int = 0, succeeded: Int = 0, errored: Int = 0, canceled: Int = 0, expired: Int = 0) {
            self.processing = processing
            self.succeeded = succeeded
            self.errored = errored
            self.canceled = canceled
            self.expired = expired
        }

        /// The total, always the number of requests in the batch.
        public var total: Int { processing + succeeded + errored + canceled + expired }

        /// The JSON object in the API's key order.
        public var json: JSONValue {
            [
                "processing": .number(JSONNumber(processing)), "succeeded": .number(JSONNumber(succeeded)),
                "errored": .number(JSONNumber(errored)), "canceled": .number(JSONNumber(canceled)),
                "expired": .number(JSONNumber(expired)),
            ]
        }
    }

    /// The batch object.
    public var raw: JSONObject

    /// Wraps a batch object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A batch object with every field in the API's order; nil timestamps are written as null.
    public init(
        id: String, processingStatus: ProcessingStatus, requestCounts: RequestCounts, createdAt: String,
        expiresAt: String, endedAt: String? = nil, cancelInitiatedAt: String? = nil, archivedAt: String? = nil,
        resultsURL: String? = nil
    ) {
        raw = [
            "id": .string(id), "type": "message_batch", "processing_status": .string(processingStatus.rawValue),
            "request_counts": requestCounts.json, "ended_at": .stringOrNull(endedAt), "created_at": .string(createdAt),
            "expires_at": .string(expiresAt), "cancel_initiated_at": .stringOrNull(cancelInitiatedAt),
            "archived_at": .stringOrNull(archivedAt), "results_url": .stringOrNull(resultsURL),
        ]
    }

    /// The body of `DELETE /v1/messages/batches/{id}`: `{"id":…,"type":"message_batch_deleted"}`.
    public static func deletedBody(id: String) -> [UInt8] {
        JSONValue.object(["id": .string(id), "type": "message_batch_deleted"]).serialized()
    }

    /// `id` (`msgbatch_…`).
    public var id: String {
        get { raw.string("id") ?? "" }
        set { raw.set("id", string: newValue) }
    }

    /// `processing_status`.
    public var processingStatus: ProcessingStatus {
        get { ProcessingStatus(rawValue: raw.string("processing_status") ?? "") }
        set { raw.set("processing_status", string: newValue.rawValue) }
    }

    /// `request_counts`; zeros for absent members.
    public var requestCounts: RequestCounts {
        get {
            let c = raw.object("request_counts") ?? [:]
            return RequestCounts(
                processing: c.int("processing") ?? 0, succeeded: c.int("succeeded") ?? 0,
                errored: c.int("errored") ?? 0, canceled: c.int("canceled") ?? 0, expired: c.int("expired") ?? 0)
        }
        set { raw["request_counts"] = newValue.json }
    }

    /// `created_at`.
    public var createdAt: String? { raw.string("created_at") }
    /// `expires_at` (created + 24 h).
    public var expiresAt: String? { raw.string("expires_at") }

    /// `ended_at`; setting nil writes null.
    public var endedAt: String? {
        get { raw.string("ended_at") }
        set { raw.set("ended_at", stringOrNull: newValue) }
    }

    /// `cancel_initiated_at`; setting nil writes null.
    public var cancelInitiatedAt: String? {
        get { raw.string("cancel_initiated_at") }
        set { raw.set("cancel_initiated_at", stringOrNull: newValue) }
    }

    /// `archived_at`; setting nil writes null.
    public var archivedAt: String? {
        get { raw.string("archived_at") }
        set { raw.set("archived_at", stringOrNull: newValue) }
    }

    /// `results_url`, null until the batch ends; setting nil writes null.
    public var resultsURL: String? {
        get { raw.string("results_url") }
        set { raw.set("results_url", stringOrNull: newValue) }
    }
}
