import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore

/// The Claude API's own routes, routed: `POST /v1/messages`, `POST /v1/messages/count_tokens`, and the dry run
/// `POST /v1/route`. Behind the authentication middleware: the client is in the request context.
struct MessagesController: Sendable {
    let intake: CallIntake
    let executor: CallExecutor
    /// count_tokens is passed through as it is.
    let transport: any UpstreamTransport
    let tracer: RouterTracer?

    func addRoutes(to group: RouterGroup<RouterRequestContext>) {
        group.post("/v1/messages") { request, context in try await messages(request, context: context) }
        group.post("/v1/messages/count_tokens") { request, context in
            try await countTokens(request, context: context)
        }
        group.post("/v1/route") { request, context in try await route(request, context: context) }
    }

    /// `POST /v1/messages`: prepared (decided, admitted), then streamed or completed by the call executor.
    func messages(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        let requestID = RequestID.make()
        do {
            let (client, policy) = try context.authenticated()
            let body = try await intake.bodies.collect(request)
            let call = try await intake.preparer.prepare(
                body: body, headers: request.headers, client: client, policy: policy, requestID: requestID,
                arrival: arrival)
            if call.request.stream {
                return try await executor.stream(call)
            }
            let result = try await executor.complete(call)
            return result.response
        } catch {
            return intake.failed(error, requestID: requestID)
        }
    }

    /// `POST /v1/route`: the decision and its estimated cost, without calling the API.
    func route(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = RequestID.make()
        do {
            let call = try await intake.prepareTask(
                request, context: context, requestID: requestID, arrival: .now, admit: false
            ).call
            return Response.json(
                .object([
                    "request_id": .string(requestID), "decision": call.decision.json,
                    "summary": .string(call.decision.summary),
                ]), headers: DecisionHeaders.of(call, outcome: nil, cost: nil))
        } catch {
            return error.response(requestID: requestID)
        }
    }

    /// `POST /v1/messages/count_tokens`: the body is checked as strictly as a Messages body (bar `max_tokens`), the
    /// model is resolved like a routed call's (`auto`, tiers, aliases), then the call is passed through.
    func countTokens(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let requestID = RequestID.make()
        do throws(RouterHTTPError) {
            let (client, policy) = try context.authenticated()
            var body = try await intake.bodies.collect(request)
            let checked: CountTokensRequest
            do { checked = try CountTokensRequest(bytes: body) } catch { throw RouterHTTPError.invalid(error.description) }
            var object = checked.raw
            let requested = object["model"]?.stringValue ?? "auto"
            if policy.model(named: requested) == nil || Tier(rawValue: requested.lowercased()) != nil {
                let features = RoutingFeatures(request: object, client: client.name)
                do {
                    let decision = try RouterCore.Router.route(
                        features, client: client, policy: policy, day: Day(epochMillis: intake.clock.nowMillis()))
                    object["model"] = .string(decision.model)
                } catch {
                    throw RouterHTTPError.routing(error)
                }
            } else if let model = policy.model(named: requested) {
                object["model"] = .string(model.id)
            }
            body = JSONValue.object(object).serialized()
            return try await passThrough(
                UpstreamCall(
                    method: "POST", path: "/v1/messages/count_tokens",
                    headers: PassThroughController.forwardedHeaders(request.headers) + [("content-type", "application/json")], body: body),
                requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
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
}
