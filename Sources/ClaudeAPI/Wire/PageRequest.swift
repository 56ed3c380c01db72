/// The parameters of the API's list endpoints (`GET /v1/models`, `GET /v1/messages/batches`): `limit` (1…1000,
/// default 20), `after_id` and `before_id`, and the page they select from a list in the API's order.
public struct PageRequest: Sendable, Hashable {
    /// Why a list request was refused: a bad parameter (400) or a cursor naming no element (404).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// `invalidRequest` (400 `invalid_request_error`) or `notFound` (404 `not_found_error`).
        public enum Kind: Sendable, Hashable { case invalidRequest, notFound }
        /// The kind of failure.
        public var kind: Kind
        /// A message naming the parameter, safe to show the client.
        public var message: String
        public var description: String { message }
    }

    /// The page size, 1…1000.
    public var limit: Int
    /// Return the elements after this id.
    public var afterID: String?
    /// Return the elements before this id (wins over `afterID` when both are given).
    public var beforeID: String?

    /// A request for the first `limit` elements, or those after/before a cursor.
    public init(limit: Int = 20, afterID: String? = nil, beforeID: String? = nil) {
        self.limit = limit
        self.afterID = afterID
        self.beforeID = beforeID
    }

    /// Reads `limit`, `after_id` and `before_id` from a URL query; other parameters are ignored.
    /// - Throws: `Failure.invalidRequest` when `limit` is not an integer in 1…1000.
    public init<Query: Sequence>(query: Query) throws(Failure)
    where Query.Element == (key: Substring, value: Substring) {
        self.init()
        for (key, value) in query {
            switch key {
            case "limit":
                guard let n = Int(value), (1...1_000).contains(n) else {
                    throw Failure(kind: .invalidRequest, message: "limit: Input should be between 1 and 1000")
                }
                limit = n
            case "after_id": afterID = String(value)
            case "before_id": beforeID = String(value)
            default: break
            }
        }
    }

    /// The page of `items` (already in the API's order) this request selects, as
    /// `{"data":[…],"has_more":…,"first_id":…,"last_id":…}`.
    /// - Throws: `Failure.notFound` when `after_id` or `before_id` names no element.
    public func page(of items: [JSONValue], id: (JSONValue) -> String) throws(Failure) -> JSONValue {
        let slice: ArraySlice<JSONValue>
        let hasMore: Bool
        if let beforeID {
            guard let end = items.firstIndex(where: { id($0) == beforeID }) else {
                throw Failure(kind: .notFound, message: "before_id: \(beforeID) not found")
            }
            let start = max(0, end - limit)
            slice = items[start..<end]
            hasMore = start > 0
        } else {
            var start = 0
            if let afterID {
                guard let i = items.firstIndex(where: { id($0) == afterID }) else {
                    throw Failure(kind: .notFound, message: "after_id: \(afterID) not found")
                }
                start = i + 1
            }
            let end = start + min(limit, items.count - start)
            slice = items[start..<end]
            hasMore = end < items.count
        }
        return [
            "data": .array(Array(slice)),
            "has_more": .bool(hasMore),
            "first_id": slice.first.map { .string(id($0)) } ?? .null,
            "last_id": slice.last.map { .string(id($0)) } ?? .null,
        ]
    }
}
