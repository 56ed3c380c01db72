/// A string field whose values form an open set (`error.type`, `role`, a content block's `type`, a batch's
/// `processing_status`): the known values are static members, and any other string is kept as it came, so a value
/// the API adds later reads and writes back unchanged.
///
/// A conformer stores `rawValue` and wraps it in `init(rawValue:)`; string literals and `description` come from
/// here.
public protocol OpenStringValue: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
where RawValue == String {
    /// Wraps a string, known or not.
    init(rawValue: String)
}

extension OpenStringValue {
    /// Wraps a string literal.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// The string.
    public var description: String { rawValue }
}
