/// A request or response body that does not have the shape the Claude API expects, naming where.
///
/// The `path` uses the API's own field names with bracketed indices (`messages[2].content[0].type`), so a client
/// can find the offending value; `description` is `"<path>: <message>"`, the text that goes into an
/// `invalid_request_error`.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of mismatch, an open set so new kinds do not break callers that switch on it.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public var rawValue: String
        /// Wraps a code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The body is not JSON at all.
        public static let invalidJSON = Code(rawValue: "invalid_json")
        /// An object repeats a key: the body would mean different things to different parsers.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// A required field is absent.
        public static let missingField = Code(rawValue: "missing_field")
        /// A field holds the wrong JSON type.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A field has the right type but a value the API does not accept.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// The code's name.
        public var description: String { rawValue }
    }

    /// What kind of mismatch this is.
    public var code: Code
    /// Where in the body, e.g. `messages[2].content[0].type`; empty for the body itself.
    public var path: String
    /// What is wrong, e.g. `expected a string, got number`.
    public var message: String

    /// `"<path>: <message>"`, or the message alone when the path is empty.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    static func missing(_ path: String) -> WireError {
        WireError(code: .missingField, path: path, message: "field required")
    }

    static func type(_ path: String, expected: String, got value: JSONValue) -> WireError {
        WireError(code: .wrongType, path: path, message: "expected \(expected), got \(value.typeName)")
    }

    static func value(_ path: String, _ message: String) -> WireError {
        WireError(code: .invalidValue, path: path, message: message)
    }

    /// A body that is not valid JSON; a repeated key is named by its path (`messages[0].role: duplicate key …`).
    static func syntax(_ error: JSONSyntaxError) -> WireError {
        if let path = error.duplicateKeyPath {
            return WireError(
                code: .duplicateKey, path: path,
                message: "duplicate key in the JSON body (line \(error.line), column \(error.column))")
        }
        return WireError(code: .invalidJSON, path: "", message: error.description)
    }
}

extension JSONValue {
    /// Parses a request or response body.
    ///
    /// - Throws: `WireError.syntax` when the bytes are not one JSON value.
    public static func parseBody(_ bytes: some Collection<UInt8>) throws(WireError) -> JSONValue {
        do { return try JSONValue.parse(bytes) } catch { throw .syntax(error) }
    }
}
