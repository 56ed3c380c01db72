import ClaudeAPI
import Foundation
import RouterCore
import UsageLedger

/// The JSON object of a deferred task, as `GET /v1/tasks/{id}` answers it and as its callback POSTs it.
///
/// `{"id","type":"task","status":"pending|submitted|running|succeeded|failed|canceled","created_at","deadline",
/// "decision":{<Decision.json>, "deferral":{"deferred":true,"reason":…}},"batch":{"id","note"}|null,"attempts","result":<Message>|null,
/// "error":{"type","message"}|null,"usage":{…}|null,"cost_usd":"0.000123"|null,"metadata":{…}}`.
enum TaskDocument {
    /// Errors are stored as `type: message`; this splits them back.
    static func errorJSON(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        if let range = text.range(of: ": ") {
            let type = String(text[..<range.lowerBound])
            if !type.isEmpty, type.allSatisfy({ $0.isLetter || $0 == "_" }) {
                return .object(["type": .string(type), "message": .string(String(text[range.upperBound...]))])
            }
        }
        return .object(["type": "api_error", "message": .string(text)])
    }

    /// The type of a stored `type: message` error, if it has one.
    static func errorType(_ text: String?) -> String? {
        errorJSON(text)["type"]?.stringValue
    }

    static func json(_ task: DeferredTask, batch: BatchRecord?) -> JSONValue {
        let meta = TaskMeta(text: task.metaJSON)
        var result: JSONValue = .null
        var usage: JSONValue = .null
        if task.state == .succeeded, let text = task.resultJSON, let parsed = try? JSONValue.parse(Array(text.utf8)) {
            result = parsed
            if let message = Message(json: parsed) { usage = usageJSON(Billable.tokenUsage(message.usage)) }
        }
        var batchJSON: JSONValue = .null
        if let batchID = task.batchID {
            batchJSON = .object([
                // The router's id only: the API's id of a batch shared by many clients' tasks is not theirs to use.
                "id": .string(batchID), "note": batch?.note.map(JSONValue.string) ?? .null,
            ])
        }
        let finished = task.state.isFinal
        return .object([
            "id": .string(task.id), "type": "task", "status": .string(task.state.rawValue),
            "created_at": .string(TaskTime.iso(task.createdMillis)),
            "deadline": task.deadlineMillis.map { .string(TaskTime.iso($0)) } ?? .null,
            "priority": .string(task.priority),
            "decision": meta.decision,
            "batch": batchJSON,
            "attempts": .number(JSONNumber(task.attempts)),
            "result": result,
            // While a task waits for a retry, `error` says what happened to its last attempt.
            "error": task.state == .succeeded ? .null : errorJSON(task.error),
            "usage": usage,
            "cost_usd": task.costNano.map { .string(Money(nanoUSD: $0).exactDollars) } ?? .null,
            "callback": task.callbackURL == nil
                ? .null
                : .object([
                    "state": task.callbackState.map { .string($0.rawValue) } ?? (finished ? .null : "waiting"),
                    "attempts": .number(JSONNumber(task.callbackAttempts)),
                ]),
            "metadata": meta.metadata,
        ])
    }

    static func usageJSON(_ u: TokenUsage) -> JSONValue {
        .object([
            "input_tokens": .number(JSONNumber(u.input)), "output_tokens": .number(JSONNumber(u.output)),
            "cache_creation_5m_input_tokens": .number(JSONNumber(u.cacheWrite5m)),
            "cache_creation_1h_input_tokens": .number(JSONNumber(u.cacheWrite1h)),
            "cache_read_input_tokens": .number(JSONNumber(u.cacheRead)),
        ])
    }
}
