import Logging
import RouterCore
import ClaudeAPI
import HTTPTypes
public import Hummingbird
import NIOCore

extension RouterService {
    /// Adds every route of the service to `router`, behind the error middleware.
    public func addRoutes<Context: RequestContext>(to router: Hummingbird.Router<Context>) {
        router.add(middleware: ErrorMiddleware<Context>())
        router.post("/v1/messages") { request, context in try await self.handleMessages(request, context: context) }
        router.post("/v1/messages/count_tokens") { request, context in
            try await self.handleCountTokens(request, context: context)
        }
        router.get("/v1/models") { request, context in try await self.handleModels(request, context: context) }
        router.get("/v1/models/{id}") { request, context in
            try await self.handleModel(request, context: context, id: context.parameters.get("id") ?? "")
        }
        for path in ["/v1/messages/batches", "/v1/messages/batches/**"] {
            router.get(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            router.post(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            router.delete(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            // Other methods reach the batch controller too, which answers 405 or 404 in the API's shape.
            for method in [HTTPRequest.Method.put, .patch] {
                router.on(RouterPath(path), method: method) { request, context in
                    try await self.handleBatches(request, context: context)
                }
            }
        }
        router.post("/v1/tasks") { request, context in try await self.handleCreateTask(request, context: context) }
        router.get("/v1/tasks/{id}") { request, context in
            try await self.handleGetTask(request, context: context, id: context.parameters.get("id") ?? "")
        }
        router.delete("/v1/tasks/{id}") { request, context in
            try await self.handleCancelTask(request, context: context, id: context.parameters.get("id") ?? "")
        }
        router.post("/v1/route") { request, context in try await self.handleRoute(request, context: context) }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { request, context in try await self.handleReady(request, context: context) }
        router.get("/metrics") { request, context in try await self.handleMetrics(request, context: context) }
        // Wrong methods on known paths: 405 in the API's error shape.
        let methodsByPath: [(String, [HTTPRequest.Method])] = [
            ("/v1/messages", [.get, .put, .delete, .patch]), ("/v1/messages/count_tokens", [.get, .put, .delete]),
            ("/v1/tasks", [.get, .put, .delete]), ("/v1/route", [.get, .put, .delete]),
            ("/v1/models", [.post, .put, .delete]),
        ]
        for (path, methods) in methodsByPath {
            for method in methods {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw RouterHTTPError(
                        .invalidRequest, "Method \(request.method.rawValue) is not allowed on \(path)", status: 405)
                }
            }
        }
    }

    /// A Hummingbird router with every route of the service.
    public func buildRouter() -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router(context: BasicRequestContext.self)
        addRoutes(to: router)
        return router
    }
}
