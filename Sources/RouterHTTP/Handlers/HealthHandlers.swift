import RouterCore
import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore

extension RouterService {
    /// `GET /readyz`: the policy is loaded (and the last reload was valid), the upstream answers, the ledger writes.
    ///
    /// The upstream check costs an upstream call, so it is not made per request: its result is kept for
    /// `readinessProbeTTLMillis`, one probe runs at a time, and only a caller with a valid client key can start one.
    /// A keyless caller (a load balancer's probe) sees the last result and its age; before any probe the upstream
    /// counts as unknown, which does not make the service unready.
    func handleReady(_ request: Request, context: RouterRequestContext) async throws -> Response {
        var checks: [(key: String, value: JSONValue)] = []
        var ready = true
        let policy = policies.current
        if let error = policies.lastError {
            checks.append(("policy", .string("serving \(policy.contentHash.prefix(12)); last reload refused: \(error)")))
        } else {
            checks.append(("policy", .string("ok \(policy.contentHash.prefix(12))")))
        }
        let now = clock.nowMillis()
        let keyed =
            ClientAuthenticator.presentedKey(request.headers) != nil
            && (try? ClientAuthenticator.authenticate(request.headers, policy: policy, allowAnonymous: false)) != nil
        if keyed, readinessProbe.claim(now: now, ttlMillis: Int64(configuration.readinessProbeTTLMillis)) {
            readinessProbe.finish(await probeUpstream(), at: clock.nowMillis())
        }
        if let last = readinessProbe.last {
            ready = ready && last.reachable
            let age = max(0, now - last.atMillis) / 1000
            checks.append(("upstream", .string("\(last.summary) (probed \(age)s ago)")))
        } else {
            checks.append(("upstream", "unknown (not probed yet)"))
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

    /// One upstream call: reachable when it answers below 500.
    func probeUpstream() async -> ReadinessProbe.Result {
        do {
            let reply = try await transport.send(
                UpstreamCall(method: "GET", path: "/v1/models?limit=1", headers: [("anthropic-version", "2023-06-01")]))
            _ = try? await reply.collectBody(upTo: 1 << 20)
            return .init(reachable: reply.status < 500, summary: reply.status < 500 ? "ok" : "status \(reply.status)")
        } catch {
            return .init(reachable: false, summary: "unreachable")
        }
    }

    func handleMetrics(_ request: Request, context: RouterRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: MetricsRegistry.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render(lanes: dispatcher.pacing.laneSnapshots()))))
    }
}

/// The last upstream probe of `/readyz`, and the claim that lets one caller at a time make the next.
final class ReadinessProbe: Sendable {
    struct Result: Sendable {
        var reachable: Bool
        var summary: String
        var atMillis: Int64 = 0
    }

    struct State {
        var last: Result?
        var probing = false
    }

    private let state = MutexBox(State())

    /// The last probe's result, if any.
    var last: Result? { state.withLock { $0.last } }

    /// Whether the caller should probe now: the last result is older than `ttlMillis` (or absent) and no probe is
    /// running. A true answer must be followed by `finish`.
    func claim(now: Int64, ttlMillis: Int64) -> Bool {
        state.withLock { s in
            guard !s.probing else { return false }
            if let last = s.last, now - last.atMillis < ttlMillis { return false }
            s.probing = true
            return true
        }
    }

    /// Records a probe's result.
    func finish(_ result: Result, at millis: Int64) {
        var result = result
        result.atMillis = millis
        state.withLock { s in
            s.last = result
            s.probing = false
        }
    }
}
