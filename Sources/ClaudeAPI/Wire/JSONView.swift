/// A typed view over a JSON object it keeps whole, so decoding and re-encoding loses nothing.
///
/// Every wire type (`MessagesRequest`, `ContentBlock`, `Usage`, …) conforms: its typed properties read from and
/// write to `raw`, unknown fields stay where they were, and `serialized()` gives back the same keys in the same
/// order with the same number text, changed only where a property was set on purpose.
public protocol JSONView: Sendable, Hashable {
    /// The JSON object this value is a view of.
    var raw: JSONObject { get set }
    /// Wraps an object without checking it; the typed properties fall back to empty values where fields are absent.
    init(raw: JSONObject)
}

extension JSONView {
    /// The object as a `JSONValue`.
    public var json: JSONValue { .object(raw) }

    /// The object as compact JSON bytes, in its kept key order.
    public func serialized() -> [UInt8] { JSONValue.object(raw).serialized() }

    /// The object as compact JSON text.
    public func jsonString() -> String { JSONValue.object(raw).jsonString() }

    /// Wraps `value` if it is an object, else nil.
    public init?(json value: JSONValue?) {
        guard case .object(let object)? = value else { return nil }
        self.init(raw: object)
    }
}

extension JSONObject {
    func string(_ key: String) -> String? { self[key]?.stringValue }
    func int(_ key: String) -> Int? { self[key]?.intValue }
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    func object(_ key: String) -> JSONObject? { self[key]?.objectValue }
    func array(_ key: String) -> [JSONValue]? { self[key]?.arrayValue }

    /// Sets a string member, or removes it for nil.
    mutating func set(_ key: String, string: String?) {
        self[key] = string.map(JSONValue.string)
    }

    /// Sets a string member, or writes null for nil (for members the API always sends, such as `stop_reason`).
    mutating func set(_ key: String, stringOrNull string: String?) {
        self[key] = .stringOrNull(string)
    }

    /// Sets an integer member, or removes it for nil.
    mutating func set(_ key: String, int: Int?) {
        self[key] = int.map { JSONValue.number(JSONNumber($0)) }
    }

    /// Sets a boolean member, or removes it for nil.
    mutating func set(_ key: String, bool: Bool?) {
        self[key] = bool.map(JSONValue.bool)
    }

    /// Sets a view's object as a member, or removes it for nil.
    mutating func set(_ key: String, view: (some JSONView)?) {
        self[key] = view.map { JSONValue.object($0.raw) }
    }

    /// Sets an array of views as a member, or removes it for nil.
    mutating func set<V: JSONView>(_ key: String, views: [V]?) {
        self[key] = views.map { JSONValue.array($0.map { .object($0.raw) }) }
    }

    /// The array member `key` as views over its object elements (non-objects are skipped).
    func views<V: JSONView>(_ key: String, as type: V.Type = V.self) -> [V] {
        guard case .array(let elements)? = self[key] else { return [] }
        var result: [V] = []
        result.reserveCapacity(elements.count)
        for case .object(let object) in elements { result.append(V(raw: object)) }
        return result
    }
}
