/// Where a `cache_control` marker sits in a request, and its TTL.
public struct CacheBreakpoint: Sendable, Hashable, CustomStringConvertible {
    /// A position in the prompt, in the API's processing order: tools, then system, then messages.
    public enum Location: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// `tools[index]`.
        case tool(Int)
        /// `system[index]`.
        case system(Int)
        /// `messages[message].content[block]`.
        case message(Int, block: Int)
        /// The top-level `cache_control` (automatic caching: the API places it on the last cacheable block).
        case topLevel

        /// The JSON path, e.g. `messages[3].content[0]`.
        public var description: String {
            switch self {
            case .tool(let i): "tools[\(i)]"
            case .system(let i): "system[\(i)]"
            case .message(let m, let b): "messages[\(m)].content[\(b)]"
            case .topLevel: "cache_control"
            }
        }
    }

    /// Where the marker is.
    public var location: Location
    /// Its effective TTL (5 minutes when `ttl` is absent).
    public var ttl: CacheControl.TTL

    /// Makes a breakpoint.
    public init(location: Location, ttl: CacheControl.TTL) {
        self.location = location
        self.ttl = ttl
    }

    /// `"<location> (<ttl>)"`.
    public var description: String { "\(location) (\(ttl.rawValue))" }
}
