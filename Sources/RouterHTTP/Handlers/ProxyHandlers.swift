import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore
import ClaudeSimulator

extension RouterService {
    /// `POST /v1/messages/count_tokens`: the body is checked as strictly as a Messages body (bar `max_tokens`), the
    /// model is resolved like a routed call's (`auto`, tiers, aliases), then the call is passed through.
    func handleCountTokens(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = newRequestID()
        do throws(RouterHTTPError) {
            let (client, policy) = try context.authenticated()
            var body = try await collect(request)
            let checked: CountTokensRequest
            do { checked = try CountTokensRequest(bytes: body) } catch { throw RouterHTTPError.invalid(error.description) }
            var object = checked.raw
            let requested = object["model"]?.stringValue ?? "auto"
            if policy.model(named: requested) == nil || Tier(rawValue: requested.lowercased()) != nil {
                let features = RoutingFeatures(request: object, client: client.name)
                do {
                    let decision = try RouterCore.Router.route(
                        features, client: client, policy: policy, day: Day(epochMillis: clock.nowMillis()))
                    object["model"] = .string(decision.model)
                } catch {
                    throw Self.httpError(error)
                }
            } else if let model = policy.model(named: requested) {
                object["model"] = .string(model.id)
            }
            body = JSONValue.object(object).serialized()
            return try await passThrough(
                UpstreamCall(
                    method: "POST", path: "/v1/messages/count_tokens",
                    headers: forwardedHeaders(request.headers) + [("content-type", "application/json")], body: body),
                requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
    }

    func forwardedHeaders(_ headers: HTTPFields) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = [("anthropic-version", headers[.anthropicVersion] ?? "2023-06-01")]
        if let beta = headers[.anthropicBeta] { out.append(("anthropic-beta", beta)) }
        if let accept = headers[.accept] { out.append(("accept", accept)) }
        return out
    }

    /// Sends a call as it is and streams the answer back.
    func passThrough(_ call: UpstreamCall, requestID: String) async throws(RouterHTTPError) -> Response {
        let reply: UpstreamReply
        do {
            reply = try await transport.send(call, tracedAs: "POST count_tokens", by: tracer)
        } catch let error as UpstreamTransportError {
            throw RouterHTTPError(.api, "the upstream could not be reached (\(error.kind.rawValue))", status: 502)
        } catch {
            throw RouterHTTPError(.api, "the upstream could not be reached", status: 502)
        }
        var headers: HTTPFields = [:]
        headers[.routerRequestID] = requestID
        headers[.contentType] = reply.header("content-type") ?? "application/json"
        if let id = reply.header("request-id") { headers[.requestID] = id }
        let stream = reply.body
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody { writer in
                for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
    }

    /// `GET /v1/models`: `auto`, the tiers and the policy's models, paged like the API (`limit`, `after_id`,
    /// `before_id`); errors carry the router's request id.
    func handleModels(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = newRequestID()
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
            return Self.json(page, headers: [.routerRequestID: requestID])
        } catch {
            return error.response(requestID: requestID)
        }
    }

    /// `GET /v1/models/{id}`: `auto`, a tier, or a policy model by id or alias; errors carry the request id.
    func handleModel(_ request: Request, context: RouterRequestContext, id: String) async throws -> Response {
        let requestID = newRequestID()
        do throws(RouterHTTPError) {
            let policy = try context.authenticated().policy
            guard let info = Self.modelInfo(id, policy: policy) else {
                throw RouterHTTPError(.notFound, "model: \(id)")
            }
            return Self.json(.object(info.raw), headers: [.routerRequestID: requestID])
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
        // The policy does not say which models take manual thinking: the known line-up does (the simulator's table);
        // a routed name promises it only when every model it may reach takes it.
        let manual = !models.isEmpty && models.allSatisfy { model in
            SimulatorConfig.defaultModels.first { $0.id == model.id || $0.datedID == model.id }?.allowsManualThinking
                ?? false
        }
        info.capabilities = ModelInfo.standardCapabilities(manualThinking: manual)
        return info
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
