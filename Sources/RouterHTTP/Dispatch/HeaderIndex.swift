/// A response's headers by lower-cased name (first value wins), built once per response.
///
/// Why: reading the rate-limit headers takes a dozen look-ups per response, and `UpstreamReply.header(_:)`
/// lower-cases every header name on every look-up; this lower-cases each name at most once (and not at all when it
/// already is, as HTTP/2 and most servers send them).
struct HeaderIndex: Sendable {
    private var fields: [String: String] = [:]

    init(_ headers: [(name: String, value: String)]) {
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            let key = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
            if fields[key] == nil { fields[key] = value }
        }
    }

    /// The first value of `name` (lower-case).
    subscript(_ name: String) -> String? { fields[name] }
}
