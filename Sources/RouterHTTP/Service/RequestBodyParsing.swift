import ClaudeAPI

extension RouterHTTPError {
    /// The 400 for a body that is not valid JSON: a repeated key is named by its path, anything else by line and
    /// column (invalid UTF-8 included: it is refused, never replaced).
    static func invalidJSON(_ error: JSONSyntaxError) -> RouterHTTPError {
        if let path = error.duplicateKeyPath {
            return .invalid("\(path): duplicate key in the JSON body (line \(error.line), column \(error.column))")
        }
        return .invalid(error.description)
    }
}

enum RequestBody {
    /// Parses a request body that must be one JSON object.
    /// - Throws: 400 `invalid_request_error` naming the problem (syntax, duplicate key path, invalid UTF-8, not an
    ///   object).
    static func parseObject(_ body: [UInt8]) throws(RouterHTTPError) -> JSONObject {
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw .invalidJSON(error) }
        guard case .object(let object) = value else {
            throw RouterHTTPError.invalid("request body must be a JSON object, got \(value.typeName)")
        }
        return object
    }
}
