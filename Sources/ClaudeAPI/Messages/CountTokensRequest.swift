/// The body of `POST /v1/messages/count_tokens`: a messages request without `max_tokens`.
public struct CountTokensRequest: JSONView {
    /// The request object.
    public var raw: JSONObject

    /// Wraps a request object without validating it.
    public init(raw: JSONObject) { self.raw = raw }

    /// Decodes and checks a body with the same shape rules as `MessagesRequest`, except that `max_tokens` is not
    /// required.
    ///
    /// - Throws: `WireError` naming the path of the first mismatch.
    public init(bytes: some Collection<UInt8>) throws(WireError) {
        try self.init(json: JSONValue.parseBody(bytes))
    }

    /// Checks a parsed body and wraps it.
    ///
    /// - Throws: `WireError` naming the path of the first mismatch.
    public init(json: JSONValue) throws(WireError) {
        self.init(raw: try MessagesRequest.validated(json, requireMaxTokens: false))
    }

    /// The same body seen as a messages request, to reuse its accessors (`systemText`, `cacheBreakpoints`, …).
    public var asMessagesRequest: MessagesRequest { MessagesRequest(raw: raw) }

    /// `model`.
    public var model: String {
        get { raw.string("model") ?? "" }
        set { raw.set("model", string: newValue) }
    }
}
