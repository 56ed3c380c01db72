import ClaudeAPI
import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import RouterCore
import UsageLedger

/// `/dashboard`: the live operators' page, for clients whose policy says `role: operator`.
///
/// - `GET /dashboard` with an operator's key (`x-api-key` or `Authorization: Bearer`, as the API's routes; for
///   curl or a proxy that adds the header) or a session cookie: the page. No key and no session: 401; another
///   client's key: 403 (both in the API's error shape).
/// - `POST /dashboard/token` with an operator's key: a one-time link (`/dashboard?token=…`, valid 60 s) for a
///   browser. Opening it sets an 8-hour session cookie (`HttpOnly`, `SameSite=Strict`, path `/dashboard`) and
///   redirects to `/dashboard`, so the token leaves the address bar and the key never enters a URL.
/// - `GET /dashboard/login`: a form where an operator pastes the key; `POST /dashboard/login` checks it and sets the
///   same session cookie.
extension OperationsController {
    static let sessionCookie = "claude_router_dashboard"
    /// Seconds between the page's reloads.
    static let dashboardRefreshSeconds = 5

    func addDashboardRoutes(to router: RouterGroup<RouterRequestContext>) {
        router.get("/dashboard") { request, context in try await handleDashboard(request, context: context) }
        router.post("/dashboard/token") { request, context in
            try await handleDashboardToken(request, context: context)
        }
        router.get("/dashboard/login") { _, _ in loginPage(message: nil) }
        router.post("/dashboard/login") { request, context in
            try await handleDashboardLogin(request, context: context)
        }
    }

    /// The operator a request is from: its key (header) or its session cookie.
    /// - Throws: 401 without either (or with an invalid one), 403 for a client that is not an operator.
    func dashboardOperator(
        _ request: Request, context: RouterRequestContext, policy: Policy
    ) throws(RouterHTTPError) -> ClientSpec {
        let client: ClientSpec
        if context.presentedKey {
            // Checked by the authentication middleware (`.optional`): the client, or why its key was refused.
            if let refusal = context.refusal { throw refusal }
            guard let found = context.client else { throw RouterHTTPError(.authentication, "x-api-key header is required") }
            client = found
        } else if let session = Self.cookie(Self.sessionCookie, in: request.headers),
            let found = dashboardTokens.verify(session, kind: .session, policy: policy, nowMillis: clock.nowMillis())
        {
            client = found
            AccessLogEntry.current?.update { $0.client = found.name }
        } else {
            throw RouterHTTPError(
                .authentication,
                "an operator client's key (x-api-key) or a dashboard session is required: sign in at /dashboard/login")
        }
        guard client.role == .operator else {
            throw RouterHTTPError(.permission, "client '\(client.name)' may not open the dashboard (role: operator)")
        }
        return client
    }

    func handleDashboard(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let policy = policies.current
        let now = clock.nowMillis()
        if let token = request.uri.queryParameters["token"] {
            // A one-time link: exchange it for a session cookie and leave the token out of the address bar.
            guard let client = dashboardTokens.verify(String(token), kind: .link, policy: policy, nowMillis: now),
                client.role == .operator
            else {
                throw RouterHTTPError(.authentication, "the dashboard link is invalid, used or expired: ask for a new one")
            }
            AccessLogEntry.current?.update { $0.client = client.name }
            return sessionRedirect(for: client, nowMillis: now)
        }
        _ = try dashboardOperator(request, context: context, policy: policy)
        let page = try await dashboardPage(policy: policy, nowMillis: now)
        return Response.html(page.render())
    }

    func handleDashboardToken(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let policy = policies.current
        guard context.presentedKey else {
            throw RouterHTTPError(.authentication, "x-api-key header (an operator client's key) is required")
        }
        let client = try dashboardOperator(request, context: context, policy: policy)
        let (token, expires) = dashboardTokens.issue(.link, for: client, nowMillis: clock.nowMillis())
        return Response.json(
            .object(
                JSONObject([
                    ("url", .string("/dashboard?token=\(token)")),
                    ("expires_at", .string(JSONLogHandler.timestamp(millis: expires))),
                ])), headers: [.cacheControl: "no-store"])
    }

    func handleDashboardLogin(_ request: Request, context: RouterRequestContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 8192)
        } catch {
            throw RouterHTTPError(.requestTooLarge, "the sign-in form is larger than 8 KiB")
        }
        let form = String(buffer: buffer)
        var key: String?
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "key" else { continue }
            key = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        guard let key, !key.isEmpty else { return loginPage(message: "Paste an operator client's key.", status: .unauthorized) }
        let policy = policies.current
        guard let client = try? ClientAuthenticator.authenticate([.apiKey: key], policy: policy, allowAnonymous: false)
        else { return loginPage(message: "That key belongs to no client.", status: .unauthorized) }
        guard client.role == .operator else {
            return loginPage(message: "Client '\(client.name)' is not an operator.", status: .forbidden)
        }
        return sessionRedirect(for: client, nowMillis: clock.nowMillis())
    }

    /// 303 to `/dashboard` with a new session cookie.
    func sessionRedirect(for client: ClientSpec, nowMillis: Int64) -> Response {
        let (session, _) = dashboardTokens.issue(.session, for: client, nowMillis: nowMillis)
        let seconds = DashboardTokens.sessionMillis / 1000
        return Response(
            status: .seeOther,
            headers: [
                .location: "/dashboard", .cacheControl: "no-store",
                .setCookie:
                    "\(Self.sessionCookie)=\(session); Path=/dashboard; Max-Age=\(seconds); HttpOnly; SameSite=Strict",
            ])
    }

    /// Today's figures: the ledger's (committed rows), the live spend for budgets, the queues.
    func dashboardPage(policy: Policy, nowMillis now: Int64) async throws -> DashboardPage {
        let today = UTCDay(containingMillis: now)
        func report(_ dimension: ReportDimension) async throws -> Report {
            let query = ReportQuery(
                sinceMillis: today.startMillis, untilMillis: today.startMillis + UTCDay.millis, groupBy: [dimension])
            guard let reports else { return Report(query: query, rows: [], source: .rollup) }
            do {
                return try await reports.run(query)
            } catch {
                logger.warning("dashboard: the ledger could not be read", metadata: ["error": "\(error)"])
                throw RouterHTTPError(.api, "the ledger could not be read")
            }
        }
        let byModel = try await report(.model)
        let byTaskType = try await report(.taskType)
        let byClient = try await report(.client)
        var budgets = BudgetUse.lines(policy: policy, totals: SpendTotals(), today: today)
        for index in budgets.indices {
            let spent = spend.spend(client: budgets[index].client, taskType: budgets[index].taskType)
            budgets[index].spentToday = spent.day
            budgets[index].spentThisMonth = spent.month
        }
        var queues: [DashboardPage.Count] = []
        for lane in pacing.laneSnapshots().sorted(by: { $0.bucket < $1.bucket }) {
            queues.append(.init("rate limit \(lane.bucket): interactive waiting", lane.interactiveDepth))
            queues.append(.init("rate limit \(lane.bucket): background waiting", lane.backgroundDepth))
        }
        if let taskStore, let counts = try? await taskStore.run({ q throws(LedgerError) in try q.stateCounts() }) {
            for state in DeferredTask.State.allCases where !state.isFinal {
                queues.append(.init("deferred tasks \(state.rawValue)", counts.unfinishedTasks[state.rawValue] ?? 0))
            }
            for state in BatchRecord.State.allCases {
                queues.append(.init("batches \(state.rawValue)", counts.batches[state.rawValue] ?? 0))
            }
        }
        return DashboardPage(
            day: today.description, generatedAt: JSONLogHandler.timestamp(millis: now), byModel: byModel,
            byTaskType: byTaskType, byClient: byClient, budgets: budgets, queues: queues,
            refreshSeconds: Self.dashboardRefreshSeconds)
    }

    func loginPage(message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let note = message.map { "<p role=\"alert\">\(HTMLReport.escape($0))</p>" } ?? ""
        return Response.html(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>claude-router dashboard: sign in</title>
            <style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}input{font:inherit;width:28em}</style></head>
            <body><h1>claude-router dashboard</h1>\(note)
            <form method="post" action="/dashboard/login">
            <label>Operator client key <input type="password" name="key" autocomplete="off" required></label>
            <button type="submit">Sign in</button></form>
            <p>The key is checked and exchanged for an 8-hour session cookie; it is not stored.</p>
            </body></html>

            """, status: status)
    }

    /// The value of cookie `name` in the request's `Cookie` headers.
    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        for field in headers[values: .cookie] {
            for item in field.split(separator: ";") {
                let pair = item.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }
}
