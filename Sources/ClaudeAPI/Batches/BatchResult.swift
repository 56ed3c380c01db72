/// One line of a batch's results JSONL: `{"custom_id":…,"result":{"type":"succeeded","message":{…}}}`, or a
/// result of type `errored` (with an error body), `canceled` or `expired`.
public struct BatchResult: JSONView {
    /// The outcome of one batch request.
    public enum Outcome: Sendable, Hashable {
        /// The request ran; its message has `usage.service_tier == "batch"`.
        case succeeded(Message)
        /// The request failed (not billed).
        case errored(ErrorResponse)
        /// The batch was canceled before this request ran (not billed).
        case canceled
        /// The batch expired before this request ran (not billed).
        case expired
        /// Another result type, kept as its string.
        case unknown(String)
    }

    /// The line object.
    public var raw: JSONObject

    /// Wraps a line object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A line for `customID` with `outcome`.
    public init(customID: String, outcome: Outcome) {
        let result: JSONObject
        switch outcome {
        case .succeeded(let message): result = ["type": "succeeded", "message": .object(message.raw)]
        case .errored(let error): result = ["type": "errored", "error": .object(error.raw)]
        case .canceled: result = ["type": "canceled"]
        case .expired: result = ["type": "expired"]
        case .unknown(let type): result = ["type": .string(type)]
        }
        raw = ["custom_id": .string(customID), "result": .object(result)]
    }

    /// Decodes one JSONL line.
    ///
    /// - Throws: `WireError` when it is not JSON, lacks a string `custom_id` or an object `result` with a string
    ///   `type`.
    public init(line: some Collection<UInt8>) throws(WireError) {
        let value = try JSONValue.parseBody(line)
        guard case .object(let object) = value else { throw .type("", expected: "an object", got: value) }
        guard let id = object["custom_id"] else { throw .missing("custom_id") }
        guard case .string = id else { throw .type("custom_id", expected: "a string", got: id) }
        guard let result = object["result"] else { throw .missing("result") }
        guard case .object(let r) = result else { throw .type("result", expected: "an object", got: result) }
        guard let type = r["type"] else { throw .missing("result.type") }
        guard case .string = type else { throw .type("result.type", expected: "a string", got: type) }
        self.init(raw: object)
    }

    /// Decodes a whole JSONL results body, skipping blank lines.
    ///
    /// - Throws: `WireError` for the first bad line, its path prefixed with `line <n>`.
    public static func parseLines(_ body: [UInt8]) throws(WireError) -> [BatchResult] {
        var results: [BatchResult] = []
        var lineNumber = 0
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                results.append(try BatchResult(line: line))
            } catch {
                throw WireError(
                    code: error.code,
                    path: error.path.isEmpty ? "line \(lineNumber)" : "line \(lineNumber) \(error.path)",
                    message: error.message)
            }
        }
        return results
    }

    /// `custom_id`.
    public var customID: String { raw.string("custom_id") ?? "" }

    /// The result's outcome.
    public var outcome: Outcome {
        let result = raw.object("result") ?? [:]
        switch result.string("type") ?? "" {
        case "succeeded": return .succeeded(Message(json: result["message"]) ?? Message(raw: [:]))
        case "errored":
            return .errored(
                ErrorResponse(json: result["error"]) ?? ErrorResponse(error: APIError(type: .api, message: "")))
        case "canceled": return .canceled
        case "expired": return .expired
        case let other: return .unknown(other)
        }
    }

    /// The result's message when it succeeded.
    public var message: Message? {
        if case .succeeded(let message) = outcome { return message }
        return nil
    }

    /// The result's JSONL line: compact JSON and a trailing newline.
    public func jsonLine() -> [UInt8] {
        var out = serialized()
        out.append(UInt8(ascii: "\n"))
        return out
    }
}
