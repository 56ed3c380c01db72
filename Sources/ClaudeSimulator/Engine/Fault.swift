import Foundation

/// One thing that can go wrong with a request, on purpose.
///
/// Text form (header `x-sim-fault`, config, `POST /_sim/faults`): `529`, `500`, `429` (any 4xx/5xx status),
/// `slow:MS` (first byte after MS real milliseconds, then a normal answer), `drop` (the connection closes before
/// a complete response), `stream-error` or `stream-error:TYPE` (a streamed answer fails after the 200 with an
/// `error` event, `overloaded_error` by default; a non-streamed one fails with the matching status), `ok`.
public enum Fault: Sendable, Hashable {
    /// Answer with this HTTP status and the API's error body for it.
    case status(Int)
    /// Wait this many real milliseconds before the first byte.
    case slowFirstByte(milliseconds: Int)
    /// Close the connection without a complete response.
    case dropConnection
    /// Fail mid-stream with an `error` event of this error type.
    case streamError(type: String)
    /// No fault.
    case none

    /// Parses the text form; nil when it is not one.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "ok" || t == "none" {
            self = .none
        } else if t == "drop" {
            self = .dropConnection
        } else if t == "stream-error" {
            self = .streamError(type: "overloaded_error")
        } else if t.hasPrefix("stream-error:") {
            self = .streamError(type: String(t.dropFirst("stream-error:".count)))
        } else if t.hasPrefix("slow:"), let ms = Int(t.dropFirst(5)), ms >= 0 {
            self = .slowFirstByte(milliseconds: ms)
        } else if let code = Int(t), (400...599).contains(code) {
            self = .status(code)
        } else {
            return nil
        }
    }

    /// The text form.
    public var text: String {
        switch self {
        case .status(let code): String(code)
        case .slowFirstByte(let ms): "slow:\(ms)"
        case .dropConnection: "drop"
        case .streamError(let type): "stream-error:\(type)"
        case .none: "ok"
        }
    }
}

extension Fault: Codable {
    /// Decodes the text form (a bare status number is accepted too).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let code = try? c.decode(Int.self), let fault = Fault(text: String(code)) {
            self = fault
            return
        }
        let text = try c.decode(String.self)
        guard let fault = Fault(text: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a fault: '\(text)'")
        }
        self = fault
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
