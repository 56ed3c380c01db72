/// The `error` member of an error body: `{"type":"rate_limit_error","message":"…","details"?:{…}}`.
///
/// It is also a Swift `Error`, so code can throw it and the HTTP layer turn it into a response with
/// `ErrorResponse(error:requestID:)`.
public struct APIError: JSONView, Error, CustomStringConvertible {
    /// The error object.
    public var raw: JSONObject

    /// Wraps an error object.
    public init(raw: JSONObject) { self.raw = raw }

    /// An error of `type` with `message`.
    public init(type: ErrorType, message: String) {
        raw = ["type": .string(type.rawValue), "message": .string(message)]
    }

    /// An `invalid_request_error` carrying a wire decoding error's text (`path: message`).
    public init(_ wireError: WireError) {
        self.init(type: .invalidRequest, message: wireError.description)
    }

    /// `type`; `api_error` when missing.
    public var type: ErrorType {
        get { ErrorType(rawValue: raw.string("type") ?? ErrorType.api.rawValue) }
        set { raw.set("type", string: newValue.rawValue) }
    }

    /// `message`.
    public var message: String {
        get { raw.string("message") ?? "" }
        set { raw.set("message", string: newValue) }
    }

    /// `details.error_code`, e.g. `enforced_spend_limit_reached` on a spend-cap 429.
    public var detailsErrorCode: String? { raw.object("details")?.string("error_code") }

    /// The HTTP status for `type`.
    public var httpStatus: Int { type.httpStatus }

    /// `"<type>: <message>"`.
    public var description: String { "\(type): \(message)" }
}
