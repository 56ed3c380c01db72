import RouterCore
import Synchronization

/// What one request's access-log line says beyond its status: filled in by the code that learns it (the
/// authenticator, the ledger row of a routed call, the error response) while the request runs.
///
/// The access-log middleware binds one to `AccessLogEntry.current` around the handler and around the writing of a
/// streamed body, so no handler signature changes. Only names, ids, numbers and error types go in: never a key or a
/// header, and prompt text only for a client whose policy sets `log_prompts: true`.
final class AccessLogEntry: Sendable {
    /// The entry of the request being handled, if the access log is on.
    @TaskLocal static var current: AccessLogEntry?

    struct Fields: Sendable {
        var requestID: String?
        var client: String?
        var taskType: String?
        var tier: String?
        var model: String?
        var usage: TokenUsage?
        var cost: Money?
        var queueWaitMillis: Int?
        var errorType: String?
        /// The prompt text, only for a client whose policy sets `log_prompts: true`.
        var prompt: String?
    }

    /// The most prompt text one line carries.
    static let maxPromptBytes = 8192

    /// Keeps `text` as the line's prompt, cut to `maxPromptBytes` on a character boundary.
    func takePrompt(_ text: String) {
        var cut = Substring(text)
        if text.utf8.count > Self.maxPromptBytes {
            var bytes = 0
            var end = text.startIndex
            for index in text.indices {
                let size = text[index].utf8.count
                if bytes + size > Self.maxPromptBytes { break }
                bytes += size
                end = text.index(after: index)
            }
            cut = text[..<end]
        }
        update { $0.prompt = String(cut) }
    }

    private let state = Mutex(Fields())

    /// The fields so far.
    var fields: Fields { state.withLock { $0 } }

    /// Edits the fields.
    func update(_ body: (inout Fields) -> Void) { state.withLock { body(&$0) } }

    /// Takes what a routed call's ledger row knows.
    func take(_ row: UsageRecord) {
        update {
            $0.requestID = row.requestID
            $0.client = row.client
            $0.taskType = row.taskType
            $0.tier = row.tier
            $0.model = row.modelUsed
            $0.usage = row.usage
            $0.cost = row.cost
            $0.queueWaitMillis = row.queueWaitMillis
            if let error = row.errorType { $0.errorType = error }
        }
    }
}
