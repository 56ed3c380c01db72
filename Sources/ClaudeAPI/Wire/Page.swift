/// A page of a list endpoint (`/v1/models`, `/v1/messages/batches`): `{data, has_more, first_id, last_id}`.
public struct Page<Element: JSONView>: JSONView {
    /// The page object.
    public var raw: JSONObject

    /// Wraps a page object.
    public init(raw: JSONObject) { self.raw = raw }

    /// A page of `data`; `first_id`/`last_id` are taken from the elements' `id` (null when empty).
    public init(data: [Element], hasMore: Bool) {
        let first = data.first?.raw.string("id")
        let last = data.last?.raw.string("id")
        raw = [
            "data": .array(data.map { .object($0.raw) }), "has_more": .bool(hasMore),
            "first_id": .stringOrNull(first), "last_id": .stringOrNull(last),
        ]
    }

    /// `data`.
    public var data: [Element] {
        get { raw.views("data") }
        set { raw.set("data", views: newValue) }
    }

    /// `has_more`.
    public var hasMore: Bool { raw.bool("has_more") ?? false }

    /// `first_id`, for `before_id` paging.
    public var firstID: String? { raw.string("first_id") }

    /// `last_id`, for `after_id` paging.
    public var lastID: String? { raw.string("last_id") }
}

/// A page of `/v1/models`.
public typealias ModelList = Page<ModelInfo>

/// A page of `/v1/messages/batches`.
public typealias MessageBatchList = Page<MessageBatch>
