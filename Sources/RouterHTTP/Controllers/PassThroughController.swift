import ClaudeAPI
import HTTPTypes
import Hummingbird
import Logging
import RouterCore

/// The Claude API's routes the router answers from the policy or passes through: `GET /v1/models…` here, the
/// Message Batches pass-through in PassThroughController+Batches.swift. Behind the authentication middleware.
struct PassThroughController: Sendable {
    let configuration: ServiceConfiguration
    let bodies: BodyReader
    let transport: any UpstreamTransport
    let holds: BudgetHolds
    let spend: any SpendSource
    let metrics: ServiceMetrics
    /// The router's database: client batches are stored there; nil answers the batch routes 404.
    let taskStore: TaskStore?
    let clock: any RouterClock
    let tracer: RouterTracer?
    let logger: Logger

    func addRoutes(to group: RouterGroup<RouterRequestContext>) {
        group.get("/v1/models") { request, context in try await models(request, context: context) }
        group.get("/v1/models/{id}") { request, context in
            try await model(request, context: context, id: context.parameters.get("id") ?? "")
        }
        for path in ["/v1/messages/batches", "/v1/messages/batches/**"] {
            group.get(RouterPath(path)) { request, context in try await batches(request, context: context) }
            group.post(RouterPath(path)) { request, context in try await batches(request, context: context) }
            group.delete(RouterPath(path)) { request, context in try await batches(request, context: context) }
            // Other methods reach the batch controller too, which answers 405 or 404 in the API's shape.
            for method in [HTTPRequest.Method.put, .patch] {
                group.on(RouterPath(path), method: method) { request, context in
                    try await batches(request, context: context)
                }
            }
        }
    }

    /// `GET /v1/models`: `auto`, the tiers and the policy's models, paged like the API (`limit`, `after_id`,
    /// `before_id`); errors carry the router's request id.
    func models(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = RequestID.make()
        do throws(RouterHTTPError) {
            let policy = try context.authenticated().policy
            let entries = (["auto"] + Tier.allCases.map(\.rawValue) + policy.models.map(\.id)).compactMap {
                Self.modelInfo($0, policy: policy).map { JSONValue.object($0.raw) }
            }
            let page: JSONValue
            do {
                page = try PageRequest(query: request.uri.queryParameters).page(of: entries) {
                    $0["id"]?.stringValue ?? ""
                }
            } catch {
                throw RouterHTTPError(error.kind == .notFound ? .notFound : .invalidRequest, error.message)
            }
            return Response.json(page, headers: [.routerRequestID: requestID])
        } catch {
            return error.response(requestID: requestID)
        }
    }

    /// `GET /v1/models/{id}`: `auto`, a tier, or a policy model by id or alias; errors carry the request id.
    func model(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
        let requestID = RequestID.make()
        do throws(RouterHTTPError) {
            let policy = try context.authenticated().policy
            guard let info = Self.modelInfo(id, policy: policy) else {
                throw RouterHTTPError(.notFound, "model: \(id)")
            }
            return Response.json(.object(info.raw), headers: [.routerRequestID: requestID])
        } catch {
            return error.response(requestID: requestID)
        }
    }

    /// The ModelInfo of `name`: `auto` and the tiers (limits: the smallest of the models they may route to), or a
    /// policy model by id or alias; nil when the policy knows no such name.
    static func modelInfo(_ name: String, policy: Policy) -> ModelInfo? {
        let models: [ModelSpec]
        let id: String
        let display: String
        var line: String?
        if name == "auto" {
            (models, id, display) = (policy.models, "auto", "Routed by claude-router")
        } else if let tier = Tier(rawValue: name) {
            (models, id, display) = (policy.models.filter { $0.tier == tier }, name, "Routed to the \(name) tier")
            line = tier.rawValue
        } else if let model = policy.model(named: name) {
            (models, id, display) = ([model], model.id, model.id)
            line = ModelInfo.line(of: model.id) ?? model.tier.rawValue
        } else {
            return nil
        }
        var info = ModelInfo(
            id: id, displayName: display, createdAt: "2026-01-01T00:00:00Z",
            maxInputTokens: models.map(\.contextWindow).min().map { Int($0) },
            maxTokens: models.map(\.maxOutputTokens).min().map { Int($0) })
        info.markActive(line: line)
        // models.yaml's `manual_thinking`: a routed name promises it only when every model it may reach takes it.
        let manual = !models.isEmpty && models.allSatisfy(\.manualThinking)
        info.capabilities = ModelInfo.standardCapabilities(manualThinking: manual)
        return info
    }

    /// The headers a pass-through call forwards: the version, betas and `accept`.
    static func forwardedHeaders(_ headers: HTTPFields) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = [("anthropic-version", headers[.anthropicVersion] ?? "2023-06-01")]
        if let beta = headers.combined(.anthropicBeta) { out.append(("anthropic-beta", beta)) }
        if let accept = headers.combined(.accept) { out.append(("accept", accept)) }
        return out
    }
}
