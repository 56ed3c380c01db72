import ClaudeAPI
import HTTPTypes
import Hummingbird

extension ClaudeSimulator {
    func addModelRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/models") { request, _ in
            let models = self.config.models.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            let page = try Page.of(models.map(Self.modelInfo), id: { $0["id"]?.stringValue ?? "" }, query: request.uri.queryParameters)
            return Self.json(page)
        }
        router.get("/v1/models/{model_id}") { _, context in
            let name = try context.parameters.require("model_id")
            guard let model = self.config.model(named: name) else { throw SimulatorError.notFound("model: \(name)") }
            return Self.json(Self.modelInfo(model))
        }
    }

    /// A ModelInfo object (reference §12).
    static func modelInfo(_ model: SimulatedModel) -> JSONValue {
        let yes: JSONValue = ["supported": true]
        return [
            "type": "model",
            "id": .string(model.datedID),
            "display_name": .string(model.displayName),
            "created_at": .string(model.createdAt),
            "max_input_tokens": .number(JSONNumber(model.contextWindow)),
            "max_tokens": .number(JSONNumber(model.maxOutputTokens)),
            "capabilities": [
                "batch": yes, "citations": yes, "code_execution": yes, "image_input": yes, "pdf_input": yes,
                "structured_outputs": yes,
                "thinking": ["supported": true, "types": ["adaptive": yes, "enabled": ["supported": .bool(model.allowsManualThinking)]]],
            ],
        ]
    }

    /// A 200 JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}

/// The list pagination of the API (`limit` 1…1000, default 20; `after_id`, `before_id`):
/// `{"data":[…],"has_more":…,"first_id":…,"last_id":…}`.
enum Page {
    static func of<Query: Sequence>(_ items: [JSONValue], id: (JSONValue) -> String, query: Query) throws(SimulatorError) -> JSONValue
    where Query.Element == (key: Substring, value: Substring) {
        var limit = 20
        var after: String?
        var before: String?
        for (key, value) in query {
            switch key {
            case "limit":
                guard let n = Int(value), (1...1_000).contains(n) else { throw .invalidRequest("limit: Input should be between 1 and 1000") }
                limit = n
            case "after_id": after = String(value)
            case "before_id": before = String(value)
            default: break
            }
        }
        var slice: ArraySlice<JSONValue>
        var hasMore: Bool
        if let before {
            guard let end = items.firstIndex(where: { id($0) == before }) else { throw .notFound("before_id: \(before) not found") }
            let start = max(0, end - limit)
            slice = items[start..<end]
            hasMore = start > 0
        } else {
            var start = 0
            if let after {
                guard let i = items.firstIndex(where: { id($0) == after }) else { throw .notFound("after_id: \(after) not found") }
                start = i + 1
            }
            let end = min(items.count, start + limit)
            slice = items[start..<end]
            hasMore = end < items.count
        }
        return [
            "data": .array(Array(slice)),
            "has_more": .bool(hasMore),
            "first_id": slice.first.map { .string(id($0)) } ?? .null,
            "last_id": slice.last.map { .string(id($0)) } ?? .null,
        ]
    }
}
