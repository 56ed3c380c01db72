import ClaudeAPI
import Testing

@testable import RouterHTTP

/// The router's own fields of a `POST /v1/tasks` body, and the task timestamps it answers with.
@Suite struct TaskEnvelopeTests {
    static let now: Int64 = 1_800_000_000_000

    func envelope(_ json: String) throws -> TaskEnvelope {
        try TaskEnvelope(bytes: Array(json.utf8), now: Self.now)
    }

    @Test(arguments: [
        ("\"2027-01-15T12:00:00Z\"", Int64(1_800_014_400_000)),
        ("\"2027-01-15T12:00:00.250Z\"", Int64(1_800_014_400_250)),
        ("\"2027-01-15T13:00:00+01:00\"", Int64(1_800_014_400_000)),
        ("3600", Int64(1_800_003_600_000)),
    ])
    func deadlinesAreRFC3339TimesOrSecondsFromNow(deadline: String, millis: Int64) throws {
        let task = try envelope(#"{"deadline": \#(deadline), "messages": [{"role": "user", "content": "hi"}]}"#)
        #expect(task.deadlineMillis == millis)
    }

    @Test func aMalformedDeadlineIsRefusedWithTheFieldNamed() {
        #expect(throws: RouterHTTPError.self) {
            _ = try envelope(#"{"deadline": "next tuesday", "messages": [{"role": "user", "content": "hi"}]}"#)
        }
    }

    @Test func routerFieldsAreStrippedAndDefaultsFilled() throws {
        let task = try envelope(
            #"{"task_type": "coding", "priority": "background", "callback_url": "http://127.0.0.1:9/x", "#
                + #""messages": [{"role": "user", "content": "hi"}]}"#)
        #expect(task.taskType == "coding")
        #expect(task.callbackURL == "http://127.0.0.1:9/x")
        let body = try JSONValue.parse(task.messagesBody)
        #expect(body["task_type"] == nil && body["priority"] == nil && body["callback_url"] == nil)
        #expect(body["model"]?.stringValue == "auto")
        #expect(body["max_tokens"]?.intValue == 1024)
    }

    @Test func timestampsAreTruncatedToTheSecondNeverRoundedUp() {
        #expect(TaskTime.iso(1_800_000_000_999) == "2027-01-15T08:00:00Z")
        #expect(TaskTime.iso(1_800_000_001_000) == "2027-01-15T08:00:01Z")
    }
}
