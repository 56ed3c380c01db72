public import ClaudeAPI

/// Estimates the tokens of one block (a tool definition, a system block or a message content block).
public typealias BlockTokenEstimator = @Sendable (JSONValue) -> Int

extension CacheRequestFeatures {
    /// Reads the features of a Messages request body.
    ///
    /// Each block is serialized once in a canonical form (its `cache_control` removed, string `system` and
    /// string `content` written as one text block) and fed to one running SipHash, so the hash at a boundary
    /// identifies the exact prefix up to it, whatever breakpoints the client or the planner put on it. The text
    /// itself goes nowhere: only the 64-bit hashes and token counts leave this function. `tool_choice` and the
    /// thinking configuration are mixed in before the messages, because changing them invalidates the message
    /// cache upstream.
    ///
    /// - Parameters:
    ///   - estimator: tokens of one block; nil counts a quarter of the canonical block's bytes.
    public init(
        request body: JSONObject, client: String = "", taskType: String = "",
        estimator: BlockTokenEstimator? = nil
    ) {
        var walker = PrefixWalker(estimator: estimator)
        if let tools = body["tools"]?.arrayValue {
            walker.beginSection(0x54)  // "T"
            for (index, tool) in tools.enumerated() {
                walker.add(tool, location: .tool(index: index), cacheable: true)
            }
            walker.closeSection(kind: .tools)
        }
        if let system = body["system"] {
            walker.beginSection(0x53)  // "S"
            if let text = system.stringValue {
                if !text.isEmpty {
                    walker.add(["type": "text", "text": .string(text)], location: .system(index: 0), cacheable: true)
                }
            } else if let blocks = system.arrayValue {
                for (index, block) in blocks.enumerated() {
                    walker.add(block, location: .system(index: index), cacheable: Self.isCacheable(block))
                }
            }
            walker.closeSection(kind: .system)
        }
        walker.beginSection(0x4D)  // "M"
        for key in ["tool_choice", "thinking"] {
            if let value = body[key] { walker.mix(value) }
        }
        let messages = body["messages"]?.arrayValue ?? []
        for (messageIndex, message) in messages.enumerated() {
            let role = message["role"] ?? .null
            walker.mix(role)
            if let text = message["content"]?.stringValue {
                let block: JSONValue = ["type": "text", "text": .string(text)]
                walker.add(block, location: .message(index: messageIndex, block: 0), cacheable: !text.isEmpty)
            } else if let blocks = message["content"]?.arrayValue {
                for (blockIndex, block) in blocks.enumerated() {
                    walker.add(
                        block, location: .message(index: messageIndex, block: blockIndex),
                        cacheable: Self.isCacheable(block))
                }
            }
            walker.closeSection(kind: messageIndex == messages.count - 1 ? .conversation : .message)
        }
        var automaticTTL: CacheTTL? = nil
        var unknown = walker.unknownMarker
        if let control = body["cache_control"] {
            if let ttl = CacheTTL(cacheControl: control) { automaticTTL = ttl } else { unknown = true }
        }
        self.init(
            model: body["model"]?.stringValue ?? "", client: client, taskType: taskType,
            boundaries: walker.boundaries, clientMarkers: walker.markers, automaticTTL: automaticTTL,
            hasUnknownMarker: unknown, totalTokens: walker.tokens)
    }

    /// Whether the API lets this block carry `cache_control`: not thinking blocks, not empty text.
    static func isCacheable(_ block: JSONValue) -> Bool {
        switch block["type"]?.stringValue {
        case "thinking", "redacted_thinking": return false
        case "text": return !(block["text"]?.stringValue ?? "").isEmpty
        default: return true
        }
    }
}

/// Walks a request's blocks in cache-prefix order, keeping a running hash and token count.
struct PrefixWalker {
    let estimator: BlockTokenEstimator?
    var hasher = Hasher()
    var position = 0
    var tokens = 0
    var boundaries: [CacheBoundary] = []
    var markers: [ClientCacheMarker] = []
    var unknownMarker = false
    /// The last cacheable block of the section being walked: where its boundary goes.
    var lastCacheable: (location: CacheLocation, position: Int, tokens: Int, hash: UInt64)?

    init(estimator: BlockTokenEstimator?) { self.estimator = estimator }

    mutating func beginSection(_ tag: UInt8) {
        hasher.combine(tag)
        lastCacheable = nil
    }

    /// Mixes a value that is part of the cache key but not a block (a role, `tool_choice`).
    mutating func mix(_ value: JSONValue) {
        let bytes = value.serialized()
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    mutating func add(_ block: JSONValue, location: CacheLocation, cacheable: Bool) {
        var canonical = block
        var marker: JSONValue? = nil
        if case .object(var object) = block, let control = object["cache_control"] {
            marker = control
            object["cache_control"] = nil
            canonical = .object(object)
        }
        let bytes = canonical.serialized()
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        tokens += estimator.map { $0(canonical) } ?? (bytes.count + 3) / 4
        let snapshot = hasher
        let hash = UInt64(UInt(bitPattern: snapshot.finalize()))
        if let marker, !marker.isNull {
            if let ttl = CacheTTL(cacheControl: marker) {
                markers.append(
                    ClientCacheMarker(location: location, blockPosition: position, prefixTokens: tokens, ttl: ttl))
            } else {
                unknownMarker = true
            }
        }
        if cacheable { lastCacheable = (location, position, tokens, hash) }
        position += 1
    }

    mutating func closeSection(kind: CacheBoundaryKind) {
        guard let last = lastCacheable else { return }
        boundaries.append(
            CacheBoundary(
                location: last.location, kind: kind, blockPosition: last.position, prefixTokens: last.tokens,
                prefixHash: last.hash))
        lastCacheable = nil
    }
}

extension CacheRequestFeatures {
    /// Reads the features of a Messages request (see `init(request:client:taskType:estimator:)` on a body).
    public init(
        request: MessagesRequest, client: String = "", taskType: String = "", estimator: BlockTokenEstimator? = nil
    ) {
        self.init(request: request.raw, client: client, taskType: taskType, estimator: estimator)
    }
}
