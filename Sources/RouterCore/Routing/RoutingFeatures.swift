public import ClaudeAPI

/// What the classifier and the router look at: the request reduced to the signals a policy can name.
public struct RoutingFeatures: Sendable, Hashable {
    /// The text of the last user message (text blocks joined by newlines).
    public var lastUserText: String
    /// The system prompt's text.
    public var systemText: String
    /// Whether the request defines tools.
    public var hasTools: Bool
    /// Whether any message carries an image.
    public var hasImages: Bool
    /// Whether any message carries a document.
    public var hasDocuments: Bool
    /// The estimated input tokens (see `TokenEstimator`).
    public var estimatedInputTokens: Int64
    /// The number of messages.
    public var turns: Int
    /// The request's `max_tokens`.
    public var maxTokens: Int64
    /// The model the caller named (`auto`, a tier, an alias or an id).
    public var requestedModel: String
    /// The client's name.
    public var client: String
    /// Metadata: the request's `metadata` string fields plus the task's metadata.
    public var metadata: [String: String]
    /// The caller's task-type hint (`task_type` on a task, or the `x-router-task-type` header).
    public var taskTypeHint: String?
    /// Whether the request turns extended thinking on (`thinking.type` other than `disabled`).
    public var thinking: Bool = false
    /// The number of tools the request defines.
    public var toolCount: Int = 0

    /// Creates features directly (tests, replay).
    public init(
        lastUserText: String = "", systemText: String = "", hasTools: Bool = false, hasImages: Bool = false,
        hasDocuments: Bool = false, estimatedInputTokens: Int64 = 0, turns: Int = 1, maxTokens: Int64 = 1024,
        requestedModel: String = "auto", client: String = "", metadata: [String: String] = [:],
        taskTypeHint: String? = nil
    ) {
        self.lastUserText = lastUserText
        self.systemText = systemText
        self.hasTools = hasTools
        self.hasImages = hasImages
        self.hasDocuments = hasDocuments
        self.estimatedInputTokens = estimatedInputTokens
        self.turns = turns
        self.maxTokens = maxTokens
        self.requestedModel = requestedModel
        self.client = client
        self.metadata = metadata
        self.taskTypeHint = taskTypeHint
    }

    /// Extracts the features of a Messages API request body.
    /// - Parameters:
    ///   - body: the request as sent to `POST /v1/messages` (`model`, `messages`, `system`, `tools`, …).
    ///   - client: the client's name.
    ///   - taskTypeHint: the caller's `task_type` or `x-router-task-type`, if any.
    ///   - metadata: extra metadata (a task's), merged over the request's `metadata` strings.
    public init(request body: JSONObject, client: String, taskTypeHint: String? = nil, metadata: [String: String] = [:])
    {
        let messages = body["messages"]?.arrayValue ?? []
        var hasImages = false
        var hasDocuments = false
        for message in messages {
            for block in message["content"]?.arrayValue ?? [] {
                Self.scan(block, images: &hasImages, documents: &hasDocuments)
            }
        }
        let lastUser = messages.last { $0["role"]?.stringValue == "user" }
        var merged: [String: String] = [:]
        for (key, value) in body["metadata"]?.objectValue ?? JSONObject() {
            if let s = value.stringValue { merged[key] = s }
        }
        merged.merge(metadata) { _, new in new }
        self.init(
            lastUserText: lastUser?["content"].map(Self.text(of:)) ?? "",
            systemText: body["system"].map(Self.text(of:)) ?? "",
            hasTools: !(body["tools"]?.arrayValue ?? []).isEmpty,
            hasImages: hasImages, hasDocuments: hasDocuments,
            estimatedInputTokens: TokenEstimator.request(body), turns: messages.count,
            maxTokens: Int64(body["max_tokens"]?.intValue ?? 1024),
            requestedModel: body["model"]?.stringValue ?? "auto", client: client, metadata: merged,
            taskTypeHint: taskTypeHint)
        self.toolCount = body["tools"]?.arrayValue?.count ?? 0
        if let type = body["thinking"]?["type"]?.stringValue { self.thinking = type != "disabled" }
    }

    /// The text of a string or of the `text` blocks of a block array, joined by newlines.
    static func text(of content: JSONValue) -> String {
        if let s = content.stringValue { return s }
        return (content.arrayValue ?? []).compactMap { block in
            block["type"]?.stringValue == "text" ? block["text"]?.stringValue : nil
        }.joined(separator: "\n")
    }

    private static func scan(_ block: JSONValue, images: inout Bool, documents: inout Bool) {
        switch block["type"]?.stringValue {
        case "image": images = true
        case "document": documents = true
        case "tool_result":
            for inner in block["content"]?.arrayValue ?? [] {
                scan(inner, images: &images, documents: &documents)
            }
        default: break
        }
    }
}
