public import Foundation

/// `JSONValue` is also `Codable`, so it can sit inside ordinary Codable types; through a `JSONDecoder` key order is
/// not guaranteed and numbers pass through `Double`/`Int`, so the router's own paths use `JSONValue.parse`.
extension JSONValue: Codable {
    /// Decodes any JSON value (object keys sorted, since a decoder does not keep their order).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .number(JSONNumber(i))
        } else if let d = try? container.decode(Double.self) {
            self = .number(JSONNumber(d))
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            let dict = try container.decode([String: JSONValue].self)
            self = .object(JSONObject(dict.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
        }
    }

    /// Encodes the value; numbers go through `Int64` or `Double`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n):
            if let i = Int64(n.text) { try container.encode(i) } else { try container.encode(n.doubleValue ?? 0) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o):
            var dict: [String: JSONValue] = [:]
            for entry in o.storage { dict[entry.key] = entry.value }
            try container.encode(dict)
        }
    }
}

extension JSONValue {
    /// Parses JSON from `Data`.
    public static func parse(data: Data) throws(JSONSyntaxError) -> JSONValue {
        try parse([UInt8](data))
    }
}
