import ClaudeAPI
import HTTPTypes
import Hummingbird

extension ClaudeSimulator {
    func addModelRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/models") { request, _ in
            let models = self.config.models.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            return Self.json(try Self.page(models.map(Self.modelInfo), query: request.uri.queryParameters))
        }
        router.get("/v1/models/{model_id}") { _, context in
            let name = try context.parameters.require("model_id")
            guard let model = self.config.model(named: name) else { throw SimulatorError.notFound("model: \(name)") }
            return Self.json(Self.modelInfo(model))
        }
    }

    /// A ModelInfo object (reference §12) with every field SDK 2.x's `ModelInfo` requires (`lifecycle`) and the
    /// full `capabilities` object.
    static func modelInfo(_ model: SimulatedModel) -> JSONValue {
        var info = ModelInfo(
            id: model.datedID, displayName: model.displayName, createdAt: model.createdAt,
            maxInputTokens: model.contextWindow, maxTokens: model.maxOutputTokens)
        info.markActive(line: ModelInfo.line(of: model.id))
        info.capabilities = ModelInfo.standardCapabilities(manualThinking: model.allowsManualThinking)
        return .object(info.raw)
    }

    /// The page of `items` (each with an `id`) the query's `limit`, `after_id` and `before_id` select.
    static func page<Query: Sequence>(_ items: [JSONValue], query: Query) throws(SimulatorError) -> JSONValue
    where Query.Element == (key: Substring, value: Substring) {
        do {
            return try PageRequest(query: query).page(of: items) { $0["id"]?.stringValue ?? "" }
        } catch {
            throw error.kind == .notFound ? .notFound(error.message) : .invalidRequest(error.message)
        }
    }

    /// A 200 JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
