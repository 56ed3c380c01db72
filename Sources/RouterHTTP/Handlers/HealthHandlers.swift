import RouterCore
import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore

extension RouterService {
    /// `GET /readyz`: the policy is loaded (and the last reload was valid), the upstream answers, the ledger writes.
    func handleReady(_ request: Request, context: some RequestContext) async throws -> Response {
        var checks: [(key: String, value: JSONValue)] = []
        var ready = true
        let policy = policies.current
        if let error = policies.lastError {
            checks.append(("policy", .string("serving \(policy.contentHash.prefix(12)); last reload refused: \(error)")))
        } else {
            checks.append(("policy", .string("ok \(policy.contentHash.prefix(12))")))
        }
        do {
            let reply = try await transport.send(
                UpstreamCall(method: "GET", path: "/v1/models?limit=1", headers: [("anthropic-version", "2023-06-01")]))
            _ = try? await reply.collectBody(upTo: 1 << 20)
            let reachable = reply.status < 500
            ready = ready && reachable
            checks.append(("upstream", .string(reachable ? "ok" : "status \(reply.status)")))
        } catch {
            ready = false
            checks.append(("upstream", .string("unreachable")))
        }
        if let ledgerProblem = readiness?() {
            ready = false
            checks.append(("ledger", .string(ledgerProblem)))
        } else {
            checks.append(("ledger", "ok"))
        }
        let body: JSONValue = .object(JSONObject([("ready", .bool(ready))] + checks))
        return Self.json(body, status: ready ? .ok : .serviceUnavailable)
    }

    func handleMetrics(_ request: Request, context: some RequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: MetricsRegistry.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render(lanes: dispatcher.pacing.laneSnapshots()))))
    }
}
