/// The answer of `POST /v1/messages/count_tokens`: `{"input_tokens": N}`.
public struct CountTokensResponse: JSONView {
    /// The response object.
    public var raw: JSONObject

    /// Wraps a response object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A response with `inputTokens`.
    public init(inputTokens: Int) { raw = ["input_tokens": .number(JSONNumber(inputTokens))] }

    /// `input_tokens`; 0 when absent.
    public var inputTokens: Int {
        get { raw.int("input_tokens") ?? 0 }
        set { raw.set("input_tokens", int: newValue) }
    }
}
