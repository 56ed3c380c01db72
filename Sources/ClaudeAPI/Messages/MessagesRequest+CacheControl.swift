extension MessagesRequest {
    /// Sets or removes (`nil`) the `cache_control` of the last tool.
    ///
    /// - Returns: false when there are no tools (nothing changes).
    @discardableResult
    public mutating func setCacheControlOnLastTool(_ cacheControl: CacheControl?) -> Bool {
        guard let count = raw.array("tools")?.count, count > 0 else { return false }
        return setCacheControl(cacheControl, at: .tool(count - 1))
    }

    /// Sets or removes (`nil`) the `cache_control` of the last system block; a string `system` becomes a one-block
    /// array to carry a marker (removing from a string system changes nothing).
    ///
    /// - Returns: false when there is no system prompt, or it is empty.
    @discardableResult
    public mutating func setCacheControlOnLastSystemBlock(_ cacheControl: CacheControl?) -> Bool {
        switch raw["system"] {
        case .string(let s)?:
            guard !s.isEmpty else { return false }
            guard cacheControl != nil else { return true }
            raw["system"] = .array([.object(ContentBlock.text(s, cacheControl: cacheControl).raw)])
            return true
        case .array(let blocks)?:
            guard !blocks.isEmpty else { return false }
            return setCacheControl(cacheControl, at: .system(blocks.count - 1))
        default:
            return false
        }
    }

    /// Sets or removes (`nil`) the `cache_control` of the last block of turn `message`.
    ///
    /// - Returns: false when the turn does not exist or has no blocks.
    @discardableResult
    public mutating func setCacheControlOnLastBlock(ofMessage message: Int, _ cacheControl: CacheControl?) -> Bool {
        guard let turns = raw.array("messages"), turns.indices.contains(message) else { return false }
        switch turns[message]["content"] {
        case .string?: return setCacheControl(cacheControl, at: .message(message, block: 0))
        case .array(let blocks)?:
            guard !blocks.isEmpty else { return false }
            return setCacheControl(cacheControl, at: .message(message, block: blocks.count - 1))
        default: return false
        }
    }

    /// Sets or removes (`nil`) the `cache_control` at `location`, touching nothing else.
    ///
    /// A string message content becomes a one-text-block array when a marker is set on its block 0 (removing
    /// from a string content changes nothing). `.topLevel` sets the request's own `cache_control`.
    ///
    /// - Returns: false when the location does not exist.
    @discardableResult
    public mutating func setCacheControl(_ cacheControl: CacheControl?, at location: CacheBreakpoint.Location) -> Bool {
        let marker = cacheControl.map { JSONValue.object($0.raw) }
        switch location {
        case .topLevel:
            raw["cache_control"] = marker
            return true
        case .tool(let i):
            return raw.modifyValue(forKey: "tools") { tools in
                tools.modifyElement(at: i) { Self.setMarker(marker, on: &$0) } ?? false
            } ?? false
        case .system(let i):
            return raw.modifyValue(forKey: "system") { system in
                system.modifyElement(at: i) { Self.setMarker(marker, on: &$0) } ?? false
            } ?? false
        case .message(let m, let b):
            return raw.modifyValue(forKey: "messages") { turns in
                turns.modifyElement(at: m) { turn in
                    turn.modifyObject { turnObject in
                        if case .string(let s)? = turnObject["content"] {
                            guard b == 0 else { return false }
                            guard marker != nil else { return true }
                            var block = ContentBlock.text(s)
                            block.raw["cache_control"] = marker
                            turnObject["content"] = .array([.object(block.raw)])
                            return true
                        }
                        return turnObject.modifyValue(forKey: "content") { content in
                            content.modifyElement(at: b) { Self.setMarker(marker, on: &$0) } ?? false
                        } ?? false
                    } ?? false
                } ?? false
            } ?? false
        }
    }

    /// Removes every `cache_control` marker (tools, system, messages, top level).
    public mutating func removeAllCacheControl() {
        for breakpoint in cacheBreakpoints.reversed() { setCacheControl(nil, at: breakpoint.location) }
    }

    static func setMarker(_ marker: JSONValue?, on element: inout JSONValue) -> Bool {
        element.modifyObject { object in object["cache_control"] = marker } != nil
    }
}
