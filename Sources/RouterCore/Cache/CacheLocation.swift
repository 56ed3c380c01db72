/// Where in a Messages request a `cache_control` breakpoint sits.
///
/// The API caches the prefix tools → system → messages up to and including the marked block, so a location is
/// a block index within one of the three sections.
public enum CacheLocation: Sendable, Hashable, CustomStringConvertible {
    /// The tool definition at this index of `tools`.
    case tool(index: Int)
    /// The block at this index of `system` (a string `system` is block 0 once turned into a block array).
    case system(index: Int)
    /// Content block `block` of message `message` (a string `content` is block 0 once turned into a block array).
    case message(index: Int, block: Int)

    /// The section name, as in the ledger's short plan form: `tools`, `system` or `messages`.
    public var section: String {
        switch self {
        case .tool: "tools"
        case .system: "system"
        case .message: "messages"
        }
    }

    /// The JSON path, e.g. `messages[3].content[0]`.
    public var description: String {
        switch self {
        case .tool(let index): "tools[\(index)]"
        case .system(let index): "system[\(index)]"
        case .message(let index, let block): "messages[\(index)].content[\(block)]"
        }
    }
}
