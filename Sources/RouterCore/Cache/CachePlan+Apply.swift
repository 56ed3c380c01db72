public import ClaudeAPI

extension CachePlan {
    /// The request with `cache_control` added at each breakpoint; nothing else changes.
    ///
    /// A string `system` or message `content` that needs a marker becomes a one-element text-block array (the
    /// API treats both forms alike, and the planner's hashes already use the block form, so the prefix stays the
    /// same one). A block that already carries `cache_control` keeps the client's.
    public func apply(to request: MessagesRequest) -> MessagesRequest {
        var request = request
        let existing = Set(request.cacheBreakpoints.map(\.location))
        for breakpoint in breakpoints {
            let location = breakpoint.location.breakpointLocation
            guard !existing.contains(location) else { continue }
            if case .system = breakpoint.location, case .string? = request.raw["system"] {
                // The wire model's location setter leaves a string system alone; this one turns it into a block.
                request.setCacheControlOnLastSystemBlock(breakpoint.ttl.cacheControlValue)
            } else {
                request.setCacheControl(breakpoint.ttl.cacheControlValue, at: location)
            }
        }
        return request
    }

    /// The request body with `cache_control` added at each breakpoint (see `apply(to:)` on `MessagesRequest`).
    public func apply(to body: JSONObject) -> JSONObject {
        apply(to: MessagesRequest(raw: body)).raw
    }
}

extension CacheLocation {
    /// The same place as the wire model names it.
    public var breakpointLocation: CacheBreakpoint.Location {
        switch self {
        case .tool(let index): .tool(index)
        case .system(let index): .system(index)
        case .message(let index, let block): .message(index, block: block)
        }
    }
}

extension CacheTTL {
    /// The wire model's TTL.
    public init(_ ttl: CacheControl.TTL) {
        self = ttl == .oneHour ? .oneHour : .fiveMinutes
    }

    /// The marker the planner writes: `{"type":"ephemeral"}` for 5m (the API's default, so the request stays
    /// conventional), `{"type":"ephemeral","ttl":"1h"}` for 1h.
    public var cacheControlValue: CacheControl {
        CacheControl(ttl: self == .oneHour ? .oneHour : nil)
    }
}
