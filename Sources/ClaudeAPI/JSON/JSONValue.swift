/// A JSON value that keeps everything it was given: object key order, and numbers as their original text.
///
/// The router decodes every body into this lossless form first, so a request reaches the upstream with every
/// field it does not know intact; the typed views of the wire model (`MessagesRequest`, `Message`, …) read and
/// write through it.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its JSON text (`1`, `1.0`, `1e3` stay as written).
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number kept as its literal text, so re-encoding never changes it.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written in JSON.
    public let text: String

    /// Wraps JSON number text; the caller guarantees it is a valid JSON number.
    public init(text: String) { self.text = text }

    /// The number `value`.
    public init(_ value: Int) { self.text = String(value) }
    /// The number `value`.
    public init(_ value: Int64) { self.text = String(value) }

    /// A finite double written in its shortest round-tripping form (`1.0` is written `1`).
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// The number as written.
    public var description: String { text }
    /// The value as an integer, when it is one exactly.
    public var intValue: Int? {
        if let i = Int(text) { return i }
        if let d = Double(text), d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
        return nil
    }
    /// The value as a double.
    public var doubleValue: Double? { Double(text) }
}

/// A JSON object that keeps its keys in the order they were written.
///
/// Look-ups are linear: API objects have a handful of keys, where a scan beats hashing.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member. A struct rather than a tuple: arrays of tuples are destroyed through the runtime's generic
    /// tuple path, which was the parser's largest single cost.
    struct Entry: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    var storage: [Entry]

    /// The members in their kept order.
    public var entries: [(key: String, value: JSONValue)] { storage.map { (key: $0.key, value: $0.value) } }

    /// An empty object.
    public init() { storage = [] }
    /// An object with `entries`, in that order.
    public init(_ entries: [(key: String, value: JSONValue)]) {
        storage = entries.map { Entry(key: $0.key, value: $0.value) }
    }
    init(storage: [Entry]) { self.storage = storage }
    /// An object with the literal's members, in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        storage = elements.map { Entry(key: $0.0, value: $0.1) }
    }

    /// Number of members.
    public var count: Int { storage.count }
    /// True when the object has no members.
    public var isEmpty: Bool { storage.isEmpty }
    /// The keys in order.
    public var keys: [String] { storage.map(\.key) }

    /// The value for `key`; setting `nil` removes it, setting a new key appends it, an existing key keeps its place.
    public subscript(key: String) -> JSONValue? {
        get {
            for entry in storage where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let index = storage.firstIndex(where: { $0.key == key }) {
                if let newValue { storage[index].value = newValue } else { storage.remove(at: index) }
            } else if let newValue {
                storage.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Iterates the members in order as `(key, value)` pairs.
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Entry]>
        /// The next member.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard let entry = base.next() else { return nil }
            return (key: entry.key, value: entry.value)
        }
    }

    /// Iterates the members in order.
    public func makeIterator() -> Iterator { Iterator(base: storage.makeIterator()) }

    /// True when both objects hold the same keys with semantically equal values, whatever their order.
    public func semanticallyEquals(_ other: JSONObject) -> Bool {
        guard storage.count == other.storage.count else { return false }
        for entry in storage {
            guard let theirs = other[entry.key], entry.value.semanticallyEquals(theirs) else { return false }
        }
        return true
    }
}

extension JSONValue {
    /// The string, or nil for another type.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The boolean, or nil for another type.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The number as an exact integer, or nil.
    public var intValue: Int? { if case .number(let n) = self { n.intValue } else { nil } }
    /// The number as a double, or nil for another type.
    public var doubleValue: Double? { if case .number(let n) = self { n.doubleValue } else { nil } }
    /// The elements, or nil for another type.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The object, or nil for another type.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// True for `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The string, or `null` for nil: for members the API sends even when unset, such as `stop_reason`.
    static func stringOrNull(_ string: String?) -> JSONValue { string.map(JSONValue.string) ?? .null }

    /// The member `key` of an object, or nil for anything else.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short name of the value's JSON type, for error messages (`"string"`, `"object"`, …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Equality that ignores object key order and compares numbers by value (`1.0 == 1`).
    public func semanticallyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a.text == b.text || a.doubleValue == b.doubleValue
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.semanticallyEquals($1) }
        case (.object(let a), .object(let b)): return a.semanticallyEquals(b)
        default: return false
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A number value.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// A number value, in its shortest round-tripping text.
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array value.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object value, members in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}
