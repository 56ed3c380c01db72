import ClaudeAPI
import Foundation

/// Writes the simulated model's answer: deterministic text of an exact token length, or a `tool_use` block whose
/// input fits the tool's `input_schema`.
struct OutputGenerator {
    /// Words of at most 4 letters: each costs exactly one token, so text of n tokens is easy to write.
    static let words: [String] = [
        "the", "data", "will", "show", "that", "this", "plan", "can", "work", "well", "with", "each", "step",
        "we", "test", "code", "run", "fast", "and", "keep", "cost", "low", "for", "all", "user", "task", "one",
        "more", "time", "on", "next", "call", "read", "file", "note", "good", "call", "page", "list", "item",
    ]

    var generator: SeededGenerator

    /// Text of exactly `tokens` tokens by `Tokenizer`: one-token words, sentences closed by a period (1 token).
    mutating func text(tokens: Int) -> String {
        var out = ""
        out.reserveCapacity(tokens * 5)
        var remaining = tokens
        var sentenceLength = 0
        var sentenceTarget = 6 + Int(generator.next() % 10)
        while remaining > 0 {
            if sentenceLength >= sentenceTarget && remaining >= 1 && sentenceLength > 0 {
                out.append(".")
                remaining -= 1
                sentenceLength = 0
                sentenceTarget = 6 + Int(generator.next() % 10)
                continue
            }
            var word = Self.words[Int(generator.next() % UInt64(Self.words.count))]
            if sentenceLength == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            if !out.isEmpty { out.append(" ") }
            out.append(word)
            remaining -= 1
            sentenceLength += 1
        }
        return out
    }

    /// A value valid for `schema` (JSON Schema subset: object, string with enum and format, number, integer,
    /// boolean, array, null, anyOf/oneOf/allOf, const, default, `$ref` into `$defs`/`definitions`), nested at most
    /// 8 deep. Used for tool inputs and for `output_config.format` answers.
    ///
    /// - Parameter root: the document `$ref`s resolve against (the top schema when nil).
    mutating func input(for schema: JSONValue?, name: String = "value", depth: Int = 0, root: JSONValue? = nil)
        -> JSONValue
    {
        guard let schema, depth < 8 else { return .null }
        let root = root ?? schema
        if let ref = schema["$ref"]?.stringValue {
            return input(for: Self.resolve(ref, in: root), name: name, depth: depth + 1, root: root)
        }
        if let constant = schema["const"] { return constant }
        if let options = schema["enum"]?.arrayValue, !options.isEmpty {
            return options[Int(generator.next() % UInt64(options.count))]
        }
        if let value = schema["default"] { return value }
        if let choices = (schema["anyOf"] ?? schema["oneOf"])?.arrayValue, !choices.isEmpty {
            // The first choice that is not null: an Optional field still gets a value.
            let choice = choices.first { $0["type"]?.stringValue != "null" } ?? choices[0]
            return input(for: choice, name: name, depth: depth + 1, root: root)
        }
        if let parts = schema["allOf"]?.arrayValue, let first = parts.first {
            return input(for: first, name: name, depth: depth + 1, root: root)
        }
        var type = schema["type"]?.stringValue
        if type == nil, let types = schema["type"]?.arrayValue { type = types.first { $0.stringValue != "null" }?.stringValue }
        if type == nil, schema["properties"] != nil { type = "object" }
        switch type {
        case "object":
            var object = JSONObject()
            for (key, property) in schema["properties"]?.objectValue ?? [:] {
                object[key] = input(for: property, name: key, depth: depth + 1, root: root)
            }
            return .object(object)
        case "array":
            let count = max(1, schema["minItems"]?.intValue ?? 1)
            return .array(
                (0..<min(count, 3)).map { _ in input(for: schema["items"], name: name, depth: depth + 1, root: root) })
        case "integer":
            let low = schema["minimum"]?.intValue ?? 1
            let high = max(low, schema["maximum"]?.intValue ?? low + 99)
            let span = high.subtractingReportingOverflow(low)
            guard !span.overflow, span.partialValue < Int.max else { return .number(JSONNumber(low)) }
            return .number(JSONNumber(low + Int(generator.next() % UInt64(span.partialValue + 1))))
        case "number":
            let low = schema["minimum"]?.doubleValue ?? 0
            return .number(JSONNumber(low + Double(generator.next() % 1000) / 10))
        case "boolean": return .bool(generator.next() % 2 == 0)
        case "null": return .null
        default:
            let base = Self.words[Int(generator.next() % UInt64(Self.words.count))]
            switch schema["format"]?.stringValue {
            case "date-time"?: return "2026-11-28T12:00:00Z"
            case "date"?: return "2026-11-28"
            case "time"?: return "12:00:00Z"
            case "duration"?: return "P1D"
            case "email"?: return "user@example.com"
            case "hostname"?: return "example.com"
            case "ipv4"?: return "192.0.2.1"
            case "ipv6"?: return "2001:db8::1"
            case "uuid"?: return "00000000-0000-4000-8000-000000000000"
            case "uri"?: return .string("https://example.com/\(base)")
            default:
                let minLength = schema["minLength"]?.intValue ?? 0
                var text = "\(name) \(base)"
                while text.count < minLength { text += " \(base)" }
                if let maxLength = schema["maxLength"]?.intValue, text.count > maxLength {
                    text = String(text.prefix(max(0, maxLength)))
                }
                return .string(text)
            }
        }
    }

    /// The schema a local `$ref` (`#/$defs/Name`, `#/definitions/Name`) points to, or nil.
    static func resolve(_ ref: String, in root: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node: JSONValue? = root
        for part in ref.dropFirst().split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }
}
