/// A `message_delta` event: `{delta:{stop_reason, stop_sequence, …}, usage:{…}}`; its usage is cumulative.
public struct MessageDelta: JSONView {
    /// The whole event object.
    public var raw: JSONObject

    /// Wraps a `message_delta` event object.
    public init(raw: JSONObject) { self.raw = raw }

    /// `delta.stop_reason`.
    public var stopReason: String? { raw.object("delta")?.string("stop_reason") }

    /// `delta.stop_sequence`.
    public var stopSequence: String? { raw.object("delta")?.string("stop_sequence") }

    /// `usage`, cumulative for the message so far; empty when absent.
    public var usage: Usage { Usage(json: raw["usage"]) ?? Usage(raw: [:]) }
}
