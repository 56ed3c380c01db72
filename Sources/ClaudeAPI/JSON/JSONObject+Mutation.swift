extension JSONObject {
    /// Index of the entry for `key`, if any.
    public func index(forKey key: String) -> Int? {
        entries.firstIndex { $0.key == key }
    }

    /// Edits the value of `key` in place, without copying it (the value is moved out, edited and moved back).
    ///
    /// - Returns: the closure's result, or nil when `key` is absent (the closure is then not called).
    @discardableResult
    public mutating func modifyValue<R>(forKey key: String, _ body: (inout JSONValue) throws -> R) rethrows -> R? {
        guard let index = index(forKey: key) else { return nil }
        // Moving the value out leaves the entry uniquely referencing nothing, so the edit does not copy-on-write.
        var value = entries[index].value
        entries[index].value = .null
        defer { entries[index].value = value }
        return try body(&value)
    }
}

extension JSONValue {
    /// Edits element `index` of an array in place; returns nil (without calling `body`) when this is not an array
    /// or the index is out of range.
    @discardableResult
    public mutating func modifyElement<R>(at index: Int, _ body: (inout JSONValue) throws -> R) rethrows -> R? {
        guard case .array(var elements) = self, elements.indices.contains(index) else { return nil }
        self = .null
        defer { self = .array(elements) }
        return try body(&elements[index])
    }

    /// Edits this value as an object in place; returns nil (without calling `body`) when it is not an object.
    @discardableResult
    public mutating func modifyObject<R>(_ body: (inout JSONObject) throws -> R) rethrows -> R? {
        guard case .object(var object) = self else { return nil }
        self = .null
        defer { self = .object(object) }
        return try body(&object)
    }
}
