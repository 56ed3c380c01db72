/// A wire object that may carry a `cache_control` marker of its own: a tool, a content block, or the request itself
/// (automatic caching).
public protocol CacheControlCarrier: JSONView {}

extension CacheControlCarrier {
    /// The object's `cache_control`, nil when it has none; setting nil removes it.
    public var cacheControl: CacheControl? {
        get { CacheControl(json: raw["cache_control"]) }
        set { raw.set("cache_control", view: newValue) }
    }
}
