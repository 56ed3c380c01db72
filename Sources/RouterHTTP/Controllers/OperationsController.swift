import ClaudeAPI
import Hummingbird
import Logging
import NIOCore
import RouterCore

/// The operators' routes: `/healthz`, `/readyz`, `/metrics`, and the dashboard (OperationsController+Dashboard.swift).
/// `/readyz` and `/dashboard…` sit behind the `.optional` authentication middleware; the others need no key.
struct OperationsController: Sendable {
    let policies: PolicyStore
    let clock: any RouterClock
    /// `/readyz` probes it (`GET /v1/models?limit=1`).
    let transport: any UpstreamTransport
    let readinessProbeTTLMillis: Int
    /// The ledger's last write error, if any (`/readyz`); nil: no check.
    let readiness: (@Sendable () -> String?)?
    let readinessProbe: ReadinessProbe
    let metrics: ServiceMetrics
    /// Read for `/metrics` and the dashboard's queues.
    let pacing: any Pacing
    /// Where `/dashboard` reads today's figures; nil shows none.
    let reports: (any UsageReports)?
    let spend: any SpendSource
    let taskStore: TaskStore?
    /// `/dashboard`'s one-time links and session cookies.
    let dashboardTokens: DashboardTokens
    let logger: Logger

    /// Adds `/healthz` and `/metrics` to `router`, `/readyz` and the dashboard to `keyed` (behind the `.optional`
    /// authentication middleware).
    func addRoutes(to router: Hummingbird.Router<RouterRequestContext>, keyed: RouterGroup<RouterRequestContext>) {
        router.get("/healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        keyed.get("/readyz") { request, context in try await ready(request, context: context) }
        router.get("/metrics") { request, context in try await metricsText(request, context: context) }
        addDashboardRoutes(to: keyed)
    }

    /// `GET /readyz`: the policy is loaded (and the last reload was valid), the upstream answers, the ledger writes.
    ///
    /// The upstream check costs an upstream call, so it is not made per request: its result is kept for
    /// `readinessProbeTTLMillis`, one probe runs at a time, and only a caller with a valid client key can start one.
    /// A keyless caller (a load balancer's probe) sees the last result and its age; before any probe the upstream
    /// counts as unknown, which does not make the service unready.
    func ready(_ request: Request, context: RouterRequestContext) async throws -> Response {
        var checks: [(key: String, value: JSONValue)] = []
        var ready = true
        let policy = policies.current
        if let error = policies.lastError {
            checks.append(("policy", .string("serving \(policy.contentHash.prefix(12)); last reload refused: \(error)")))
        } else {
            checks.append(("policy", .string("ok \(policy.contentHash.prefix(12))")))
        }
        let now = clock.nowMillis()
        // Set by the authentication middleware (`.optional`) for a valid key only.
        let keyed = context.client != nil
        if keyed, readinessProbe.claim(now: now, ttlMillis: Int64(readinessProbeTTLMillis)) {
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
        return Response.json(body, status: ready ? .ok : .serviceUnavailable)
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

    /// `GET /metrics`: Prometheus text, the pacer's lanes included.
    func metricsText(_ request: Request, context: RouterRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: MetricsRegistry.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render(lanes: pacing.laneSnapshots()))))
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
