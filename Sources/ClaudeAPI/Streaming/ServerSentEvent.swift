/// One event of a `text/event-stream`: its `event:` name, its `data:` (lines joined by `\n`), `id:` and `retry:`.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; nil when the event had none (the spec's default type, `message`).
    public var event: String?
    /// The `data:` lines joined by `\n`.
    public var data: String
    /// The `id:` field.
    public var id: String?
    /// The `retry:` field, in milliseconds.
    public var retry: Int?

    /// Makes an event.
    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
