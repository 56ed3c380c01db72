import Logging
import RouterCore
import ClaudeAPI
import HTTPTypes
public import Hummingbird
import NIOCore

extension RouterService {
    /// Adds every route of the service to `router`, behind the error middleware. The API's routes are in a group
    /// behind the authentication middleware (a client key, checked from the headers before any body is read); the
    /// probes, and the 404 and 405 answers, need none.
    public func addRoutes(to router: Hummingbird.Router<RouterRequestContext>) {
        // First, so its line reports the response the error middleware made of any error.
        router.add(middleware: AccessLogMiddleware<RouterRequestContext>(logger: logger))
        router.add(middleware: ErrorMiddleware<RouterRequestContext>())
        let api = router.group()
            .add(middleware: AuthenticationMiddleware(policies: policies, allowAnonymous: configuration.allowAnonymous))
        api.post("/v1/messages") { request, context in try await self.handleMessages(request, context: context) }
        api.post("/v1/messages/count_tokens") { request, context in
            try await self.handleCountTokens(request, context: context)
        }
        api.get("/v1/models") { request, context in try await self.handleModels(request, context: context) }
        api.get("/v1/models/{id}") { request, context in
            try await self.handleModel(request, context: context, id: context.parameters.get("id") ?? "")
        }
        for path in ["/v1/messages/batches", "/v1/messages/batches/**"] {
            api.get(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            api.post(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            api.delete(RouterPath(path)) { request, context in try await self.handleBatches(request, context: context) }
            // Other methods reach the batch controller too, which answers 405 or 404 in the API's shape.
            for method in [HTTPRequest.Method.put, .patch] {
                api.on(RouterPath(path), method: method) { request, context in
                    try await self.handleBatches(request, context: context)
                }
            }
        }
        api.post("/v1/tasks") { request, context in try await self.handleCreateTask(request, context: context) }
        api.get("/v1/tasks/{id}") { request, context in
            try await self.handleGetTask(request, context: context, id: context.parameters.get("id") ?? "")
        }
        api.delete("/v1/tasks/{id}") { request, context in
            try await self.handleCancelTask(request, context: context, id: context.parameters.get("id") ?? "")
        }
        api.post("/v1/route") { request, context in try await self.handleRoute(request, context: context) }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { request, context in try await self.handleReady(request, context: context) }
        router.get("/metrics") { request, context in try await self.handleMetrics(request, context: context) }
        // Operators only; authenticated in the handlers (a key header or a session cookie, see there).
        addDashboardRoutes(to: router)
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
    public func buildRouter() -> Hummingbird.Router<RouterRequestContext> {
        let router = Hummingbird.Router(context: RouterRequestContext.self)
        addRoutes(to: router)
        return router
    }
}
