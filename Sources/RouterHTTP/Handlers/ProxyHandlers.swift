import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore

extension RouterService {
    /// `POST /v1/messages/count_tokens`: the model is resolved like a routed call's (`auto`, tiers, aliases), then
    /// the call is passed through.
    func handleCountTokens(_ request: Request, context: some RequestContext) async throws -> Response {
        let requestID = newRequestID()
        do throws(RouterHTTPError) {
            let policy = policies.current
            let client = try ClientAuthenticator.authenticate(
                request.headers, policy: policy, allowAnonymous: configuration.allowAnonymous)
            var body = try await collect(request)
            guard case .object(var object) = try? JSONValue.parse(body) else {
                throw RouterHTTPError.invalid("request body must be a JSON object")
            }
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
            reply = try await transport.send(call)
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

    /// `GET /v1/models`: the policy's models, plus `auto` and the tiers, in the API's list shape.
    func handleModels(_ request: Request, context: some RequestContext) async throws -> Response {
        let policy = policies.current
        _ = try ClientAuthenticator.authenticate(
            request.headers, policy: policy, allowAnonymous: configuration.allowAnonymous)
        var data: [JSONValue] = []
        func entry(_ id: String, _ name: String) -> JSONValue {
            .object([
                "type": "model", "id": .string(id), "display_name": .string(name),
                "created_at": "2026-01-01T00:00:00Z",
            ])
        }
        data.append(entry("auto", "Routed by claude-router"))
        for tier in Tier.allCases { data.append(entry(tier.rawValue, "Routed to the \(tier.rawValue) tier")) }
        for model in policy.models { data.append(entry(model.id, model.id)) }
        let body: JSONValue = .object([
            "data": .array(data), "has_more": false,
            "first_id": data.first?["id"] ?? .null, "last_id": data.last?["id"] ?? .null,
        ])
        return Self.json(body)
    }

    /// `GET /v1/models/{id}`.
    func handleModel(_ request: Request, context: some RequestContext, id: String) async throws -> Response {
        let policy = policies.current
        _ = try ClientAuthenticator.authenticate(
            request.headers, policy: policy, allowAnonymous: configuration.allowAnonymous)
        let known = id == "auto" || Tier(rawValue: id) != nil
        guard known || policy.model(named: id) != nil else {
            throw RouterHTTPError(.notFound, "model: \(id)")
        }
        let resolved = policy.model(named: id)?.id ?? id
        return Self.json(
            .object([
                "type": "model", "id": .string(resolved), "display_name": .string(resolved),
                "created_at": "2026-01-01T00:00:00Z",
            ]))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
