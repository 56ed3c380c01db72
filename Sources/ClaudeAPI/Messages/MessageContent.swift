/// Content that the API accepts either as a plain string or as an array of blocks: a turn's `content` or the
/// request's `system`.
public enum MessageContent: Sendable, Hashable {
    /// The string form.
    case text(String)
    /// The array-of-blocks form.
    case blocks([ContentBlock])

    /// Reads the string or array form; nil for any other JSON.
    public init?(json: JSONValue?) {
        switch json {
        case .string(let s)?: self = .text(s)
        case .array(let elements)?:
            var blocks: [ContentBlock] = []
            blocks.reserveCapacity(elements.count)
            for case .object(let object) in elements { blocks.append(ContentBlock(raw: object)) }
            self = .blocks(blocks)
        default: return nil
        }
    }

    /// The JSON form, a string or an array of block objects.
    public var json: JSONValue {
        switch self {
        case .text(let s): .string(s)
        case .blocks(let blocks): .array(blocks.map { .object($0.raw) })
        }
    }

    /// The content as blocks; the string form becomes one text block.
    public var blocks: [ContentBlock] {
        switch self {
        case .text(let s): [.text(s)]
        case .blocks(let blocks): blocks
        }
    }

    /// The text of the string form, or of the text blocks joined by newlines.
    public var text: String {
        switch self {
        case .text(let s): s
        case .blocks(let blocks): blocks.compactMap { $0.kind == .text ? $0.text : nil }.joined(separator: "\n")
        }
    }
}
