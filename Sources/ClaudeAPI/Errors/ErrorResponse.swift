/// An error body: `{"type":"error","error":{"type","message"},"request_id":"req_…"}`.
public struct ErrorResponse: JSONView {
    /// The body object.
    public var raw: JSONObject

    /// Wraps a body object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A body for `error`, with `request_id` when given.
    public init(error: APIError, requestID: String? = nil) {
        raw = ["type": "error", "error": .object(error.raw)]
        if let requestID { raw["request_id"] = .string(requestID) }
    }

    /// Decodes an error body; nil when the bytes are not an object with `type: "error"` and an `error` object,
    /// as happens with a proxy's HTML error page.
    public init?(bytes: some Collection<UInt8>) {
        guard case .object(let object)? = try? JSONValue.parse(bytes),
            object.string("type") == "error", object.object("error") != nil
        else { return nil }
        self.init(raw: object)
    }

    /// `error`.
    public var error: APIError {
        get { APIError(json: raw["error"]) ?? APIError(type: .api, message: "") }
        set { raw.set("error", view: newValue) }
    }

    /// `request_id`.
    public var requestID: String? {
        get { raw.string("request_id") }
        set { raw.set("request_id", string: newValue) }
    }

    /// The body bytes of an error of `type` with `message`, ready to send with status `type.httpStatus`.
    public static func body(type: ErrorType, message: String, requestID: String? = nil) -> [UInt8] {
        ErrorResponse(error: APIError(type: type, message: message), requestID: requestID).serialized()
    }
}
