public import ClaudeAPI

extension CachePlan {
    /// The request body with `cache_control` added at each breakpoint; nothing else changes.
    ///
    /// A string `system` or message `content` that needs a marker becomes a one-element text-block array (the
    /// API treats both forms alike, and the planner's hashes already use the block form, so the prefix stays the
    /// same one). A block that already carries `cache_control` keeps the client's.
    public func apply(to body: JSONObject) -> JSONObject {
        var body = body
        for breakpoint in breakpoints {
            switch breakpoint.location {
            case .tool(let index):
                if var tools = body["tools"] {
                    Self.markBlock(in: &tools, index: index, ttl: breakpoint.ttl)
                    body["tools"] = tools
                }
            case .system(let index):
                if var system = body["system"] {
                    Self.markBlock(in: &system, index: index, ttl: breakpoint.ttl)
                    body["system"] = system
                }
            case .message(let messageIndex, let blockIndex):
                guard case .array(var messages)? = body["messages"], messages.indices.contains(messageIndex),
                    case .object(var message) = messages[messageIndex], var content = message["content"]
                else { continue }
                // Release the body's copy first, so the edits below do not copy the whole conversation.
                body["messages"] = .null
                Self.markBlock(in: &content, index: blockIndex, ttl: breakpoint.ttl)
                message["content"] = content
                messages[messageIndex] = .object(message)
                body["messages"] = .array(messages)
            }
        }
        return body
    }

    static func markBlock(in content: inout JSONValue, index: Int, ttl: CacheTTL) {
        if let text = content.stringValue, index == 0 {
            content = [["type": "text", "text": .string(text)]]
        }
        guard case .array(var blocks) = content, blocks.indices.contains(index),
            case .object(var block) = blocks[index]
        else { return }
        if block["cache_control"] == nil || block["cache_control"]?.isNull == true {
            block["cache_control"] = ttl.cacheControl
        }
        blocks[index] = .object(block)
        content = .array(blocks)
    }
}
