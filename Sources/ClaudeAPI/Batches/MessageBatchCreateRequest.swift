/// The body of `POST /v1/messages/batches`: `{"requests":[{"custom_id":"…","params":{…}}, …]}`.
public struct MessageBatchCreateRequest: JSONView {
    /// One request of a batch: its `custom_id` and its messages `params`.
    public struct Item: JSONView {
        /// The item object.
        public var raw: JSONObject

        /// Wraps an item object.
        public init(raw: JSONObject) { self.raw = raw }

        /// An item.
        public init(customID: String, params: MessagesRequest) {
            raw = ["custom_id": .string(customID), "params": .object(params.raw)]
        }

        /// `custom_id`, matching `^[a-zA-Z0-9_-]{1,64}$`.
        public var customID: String {
            get { raw.string("custom_id") ?? "" }
            set { raw.set("custom_id", string: newValue) }
        }

        /// `params`, a messages request (not validated: the API validates batch params asynchronously).
        public var params: MessagesRequest {
            get { MessagesRequest(json: raw["params"]) ?? MessagesRequest(raw: [:]) }
            set { raw.set("params", view: newValue) }
        }
    }

    /// The request object.
    public var raw: JSONObject

    /// Wraps a request object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A create request for `requests`.
    public init(requests: [Item]) { raw = ["requests": .array(requests.map { .object($0.raw) })] }

    /// Decodes and checks a body: `requests` a non-empty array of objects with a valid, unique `custom_id` and an
    /// object `params`. The params themselves are not checked here, as the API reports them per result.
    ///
    /// - Throws: `WireError` naming the path of the first mismatch, e.g. `requests[3].custom_id`.
    public init(bytes: some Collection<UInt8>) throws(WireError) {
        let value = try JSONValue.parseBody(bytes)
        guard case .object(let object) = value else { throw .type("", expected: "an object", got: value) }
        guard let requests = object["requests"] else { throw .missing("requests") }
        guard case .array(let items) = requests else { throw .type("requests", expected: "an array", got: requests) }
        guard !items.isEmpty else { throw .value("requests", "must contain at least one request") }
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else { throw .type("requests[\(i)]", expected: "an object", got: item) }
            guard let id = o["custom_id"] else { throw .missing("requests[\(i)].custom_id") }
            guard case .string(let customID) = id else {
                throw .type("requests[\(i)].custom_id", expected: "a string", got: id)
            }
            guard Self.isValidCustomID(customID) else {
                throw .value("requests[\(i)].custom_id", "must match ^[a-zA-Z0-9_-]{1,64}$")
            }
            guard seen.insert(customID).inserted else {
                throw .value("requests[\(i)].custom_id", "duplicate custom_id '\(customID)'")
            }
            guard let params = o["params"] else { throw .missing("requests[\(i)].params") }
            guard case .object = params else {
                throw .type("requests[\(i)].params", expected: "an object", got: params)
            }
        }
        self.init(raw: object)
    }

    /// `requests`.
    public var requests: [Item] {
        get { raw.views("requests") }
        set { raw.set("requests", views: newValue) }
    }

    /// True when `id` matches `^[a-zA-Z0-9_-]{1,64}$`.
    public static func isValidCustomID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
                || b == 0x2D
        }
    }
}
