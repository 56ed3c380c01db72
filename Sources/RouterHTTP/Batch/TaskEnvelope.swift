import ClaudeAPI
import RouterCore

/// A `POST /v1/tasks` (or `/v1/route`) body: the router's fields, and the Messages request that remains.
struct TaskEnvelope {
    var taskType: String?
    var priority: AdmissionQueue.Priority?
    var deadlineMillis: Int64?
    var metadata: [String: String]
    var callbackURL: String?
    var messagesBody: [UInt8]

    /// How far ahead a `deadline` may lie: 7 days. Further is refused as a mistake (a deadline in milliseconds
    /// sent as seconds, say): no task waits that long, a deferred one runs within the Batches API's 24 hours.
    static let maxDeadlineHorizonSeconds: Int64 = 7 * 24 * 3600

    init(bytes: [UInt8], now: Int64) throws(RouterHTTPError) {
        var object = try RequestBody.parseObject(bytes)
        if let t = object["task_type"], !t.isNull {
            guard let s = t.stringValue else { throw RouterHTTPError.invalid("task_type: expected a string") }
            taskType = s
        }
        if let p = object["priority"], !p.isNull {
            guard let s = p.stringValue, let priority = AdmissionQueue.Priority(rawValue: s) else {
                throw RouterHTTPError.invalid("priority: expected \"interactive\" or \"background\"")
            }
            self.priority = priority
        }
        if let d = object["deadline"], !d.isNull {
            // Checked before any arithmetic: a client's number never traps the process.
            let horizon = Self.maxDeadlineHorizonSeconds
            let millis: Int64
            if let s = d.stringValue, let at = TaskTime.parseISO(s) {
                millis = at
            } else if let seconds = d.intValue {
                guard seconds >= 1, Int64(seconds) <= horizon else {
                    throw RouterHTTPError.invalid(
                        "deadline: \(seconds) seconds from now is outside the accepted window of 1 to \(horizon) seconds")
                }
                millis = now + Int64(seconds) * 1000
            } else {
                throw RouterHTTPError.invalid(
                    "deadline: expected an RFC 3339 time (2026-11-29T12:00:00Z) or a number of seconds from now")
            }
            guard millis > now else { throw RouterHTTPError.invalid("deadline: the time is in the past") }
            guard millis <= now + horizon * 1000 else {
                throw RouterHTTPError.invalid("deadline: more than \(horizon / 3600) hours from now")
            }
            deadlineMillis = millis
        }
        var metadata: [String: String] = [:]
        if let m = object["metadata"], !m.isNull {
            guard let o = m.objectValue else { throw RouterHTTPError.invalid("metadata: expected an object") }
            for (key, value) in o {
                metadata[key] = value.stringValue ?? value.jsonString()
            }
            // The Messages API's own metadata carries only `user_id`.
            if let user = o["user_id"]?.stringValue { object["metadata"] = .object(["user_id": .string(user)]) }
        }
        self.metadata = metadata
        if let c = object["callback_url"], !c.isNull {
            // Syntax here; where it points is checked (after DNS) by `CallbackGuard` once the policy is known.
            guard let s = c.stringValue, CallbackGuard.parse(s) != nil else {
                throw RouterHTTPError.invalid(
                    "callback_url: expected an absolute http:// or https:// URL with a host and no user info")
            }
            callbackURL = s
        }
        for key in ["task_type", "priority", "deadline", "callback_url"] { object[key] = nil }
        if object["metadata"]?.objectValue?["user_id"] == nil { object["metadata"] = nil }
        if object["model"] == nil { object["model"] = "auto" }
        if object["max_tokens"] == nil { object["max_tokens"] = 1024 }
        messagesBody = JSONValue.object(object).serialized()
    }

    /// The metadata as a JSON object of strings, keys in order (what a task document and its stored meta show).
    var metadataJSON: JSONValue {
        .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }
}
