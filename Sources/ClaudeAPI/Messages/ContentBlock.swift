/// One content block of a message or a system prompt: `text`, `image`, `document`, `tool_use`, `tool_result`,
/// `thinking`, `redacted_thinking`, or any other type, kept as it came.
///
/// The typed properties read the fields of the known types; a property that does not apply to a block's type is
/// nil. Setting one writes that field only.
public struct ContentBlock: CacheControlCarrier {
    /// A block's `type`, an open set: unknown types are kept as their string.
    public struct Kind: OpenStringValue {
        /// The `type` string.
        public var rawValue: String
        /// Wraps a `type` string.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Plain text, optionally with citations.
        public static let text: Kind = "text"
        /// An image from base64 data or a URL.
        public static let image: Kind = "image"
        /// A PDF or plain-text document.
        public static let document: Kind = "document"
        /// A call of a client tool, made by the model.
        public static let toolUse: Kind = "tool_use"
        /// The result of a client tool, sent by the user.
        public static let toolResult: Kind = "tool_result"
        /// Visible thinking with its signature.
        public static let thinking: Kind = "thinking"
        /// Encrypted thinking.
        public static let redactedThinking: Kind = "redacted_thinking"
        /// A call of a server tool (web search, code execution, …).
        public static let serverToolUse: Kind = "server_tool_use"
        /// A search result given as input.
        public static let searchResult: Kind = "search_result"
    }

    /// The block object.
    public var raw: JSONObject

    /// Wraps a block object.
    public init(raw: JSONObject) { self.raw = raw }

    /// The block's type; empty when the `type` field is missing.
    public var kind: Kind {
        get { Kind(rawValue: raw.string("type") ?? "") }
        set { raw.set("type", string: newValue.rawValue) }
    }

    /// `text` of a text block.
    public var text: String? {
        get { raw.string("text") }
        set { raw.set("text", string: newValue) }
    }

    /// `id` of a tool_use or server_tool_use block.
    public var id: String? {
        get { raw.string("id") }
        set { raw.set("id", string: newValue) }
    }

    /// `name` of a tool_use block.
    public var name: String? {
        get { raw.string("name") }
        set { raw.set("name", string: newValue) }
    }

    /// `input` of a tool_use block, kept as JSON.
    public var input: JSONValue? {
        get { raw["input"] }
        set { raw["input"] = newValue }
    }

    /// `tool_use_id` of a tool_result block.
    public var toolUseID: String? {
        get { raw.string("tool_use_id") }
        set { raw.set("tool_use_id", string: newValue) }
    }

    /// `content` of a tool_result block: a string or an array of blocks, kept as JSON.
    public var content: JSONValue? {
        get { raw["content"] }
        set { raw["content"] = newValue }
    }

    /// `is_error` of a tool_result block.
    public var isError: Bool? {
        get { raw.bool("is_error") }
        set { raw.set("is_error", bool: newValue) }
    }

    /// `thinking` text of a thinking block.
    public var thinking: String? {
        get { raw.string("thinking") }
        set { raw.set("thinking", string: newValue) }
    }

    /// `signature` of a thinking block.
    public var signature: String? {
        get { raw.string("signature") }
        set { raw.set("signature", string: newValue) }
    }

    /// `data` of a redacted_thinking block.
    public var data: String? {
        get { raw.string("data") }
        set { raw.set("data", string: newValue) }
    }

    /// `source` of an image or document block, kept as JSON.
    public var source: JSONObject? {
        get { raw.object("source") }
        set { raw["source"] = newValue.map(JSONValue.object) }
    }
}

extension ContentBlock {
    /// A text block.
    public static func text(_ text: String, cacheControl: CacheControl? = nil) -> ContentBlock {
        var block = ContentBlock(raw: ["type": "text", "text": .string(text)])
        block.cacheControl = cacheControl
        return block
    }

    /// An image block with base64 data (`mediaType` is e.g. `image/png`).
    public static func image(base64 data: String, mediaType: String) -> ContentBlock {
        ContentBlock(raw: [
            "type": "image",
            "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(data)],
        ])
    }

    /// An image block by URL.
    public static func image(url: String) -> ContentBlock {
        ContentBlock(raw: ["type": "image", "source": ["type": "url", "url": .string(url)]])
    }

    /// A document block holding a base64 PDF.
    public static func document(base64PDF data: String, title: String? = nil) -> ContentBlock {
        var block = ContentBlock(raw: [
            "type": "document",
            "source": ["type": "base64", "media_type": "application/pdf", "data": .string(data)],
        ])
        block.raw.set("title", string: title)
        return block
    }

    /// A document block holding plain text.
    public static func document(text: String, title: String? = nil) -> ContentBlock {
        var block = ContentBlock(raw: [
            "type": "document", "source": ["type": "text", "media_type": "text/plain", "data": .string(text)],
        ])
        block.raw.set("title", string: title)
        return block
    }

    /// A tool_use block, as the model emits it.
    public static func toolUse(id: String, name: String, input: JSONValue) -> ContentBlock {
        ContentBlock(raw: ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
    }

    /// A tool_result block answering the tool_use `toolUseID`.
    public static func toolResult(toolUseID: String, content: String, isError: Bool? = nil) -> ContentBlock {
        var block = ContentBlock(raw: [
            "type": "tool_result", "tool_use_id": .string(toolUseID), "content": .string(content),
        ])
        block.isError = isError
        return block
    }

    /// A thinking block.
    public static func thinking(_ thinking: String, signature: String) -> ContentBlock {
        ContentBlock(raw: ["type": "thinking", "thinking": .string(thinking), "signature": .string(signature)])
    }

    /// A redacted_thinking block.
    public static func redactedThinking(data: String) -> ContentBlock {
        ContentBlock(raw: ["type": "redacted_thinking", "data": .string(data)])
    }
}
