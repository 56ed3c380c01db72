import ArgumentParser
import ClaudeSimulator
import Foundation
import Hummingbird
import Logging
import PolicyYAML
import RouterCore
import RouterHTTP
import ServiceLifecycle
import UnixSignals
import UpstreamCurl
import UsageLedger

/// `claude-router serve`: the routing service, a drop-in for the Claude API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the routing service: the Claude API on a local port, routed, paced, cached and accounted.",
        discussion: """
            Point any Claude SDK at it by changing only base_url (http://HOST:PORT) and using a client key from \
            the policy's clients.yaml (the embedded defaults ship the development key 'dev-key-change-me').

            Environment:
              ANTHROPIC_API_KEY   the upstream key. When unset, the built-in Claude API simulator is started \
            in-process and used as the upstream (no network, no cost), and the service says so at start.
              ANTHROPIC_BASE_URL  the upstream base URL when --upstream is not given (default https://api.anthropic.com).
              LOG_LEVEL           overrides --log-level.
              OTEL_*              OpenTelemetry traces: on when OTEL_EXPORTER_OTLP_ENDPOINT (or \
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, or with --otel-endpoint; OTEL_SERVICE_NAME, \
            OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json), OTEL_EXPORTER_OTLP_HEADERS, \
            OTEL_TRACES_SAMPLER and the other standard variables apply; OTEL_SDK_DISABLED=true turns them off.

            Signals: SIGTERM/SIGINT shut down gracefully (stop accepting, finish in-flight requests and streams \
            within --shutdown-grace-ms, flush the ledger); SIGHUP reloads the policy (it is also reloaded when its \
            files change). An invalid policy is refused and the previous one keeps serving.
            """)

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Policy directory (default: the embedded policies).")
    var policies: String?

    @Option(
        help: ArgumentHelp(
            "The ledger and task store: a SQLite file, or postgres://USER@HOST[:PORT]/DB shared by several replicas"
                + " (default: CLAUDE_ROUTER_DB, else claude-router.sqlite).", valueName: "path|url"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "This replica's id on a shared PostgreSQL store (default: a random one).", valueName: "id"))
    var replicaId: String?

    @Option(
        help: ArgumentHelp(
            "On a shared PostgreSQL store: how long another replica waits before taking over the work (and dropping"
                + " the in-flight budget holds) of this one if it stops renewing its lease.", valueName: "ms"))
    var replicaLeaseMs: Int = 30_000

    @Option(help: "Upstream base URL (default: ANTHROPIC_BASE_URL, else https://api.anthropic.com).")
    var upstream: String?

    @Flag(help: "Accept requests without a client key as client 'anonymous' (loopback binds only; for development).")
    var allowAnonymous = false

    @Option(help: "Ledger commit interval in milliseconds (0: every row is durable before the response).")
    var commitIntervalMs: Int = 100

    @Option(help: "Seconds the in-process simulator's clock runs per real second (only without ANTHROPIC_API_KEY).")
    var simulatorTimeScale: Double = 1

    @Option(help: "Upper bound on graceful shutdown, in milliseconds.")
    var shutdownGraceMs: Int = 10_000

    @Option(help: "A new client connection must send a complete request head within this many milliseconds.")
    var headerTimeoutMs: Int = 10_000

    @Option(help: "An idle kept-alive client connection is closed after this many milliseconds.")
    var idleTimeoutMs: Int = 75_000

    @Option(help: "A request body must be complete within this many milliseconds of its head.")
    var bodyTimeoutMs: Int = 300_000

    @Option(help: "Most bytes of synchronous task results kept in memory for GET /v1/tasks/{id}; older ones spill to the database.")
    var taskResultsMaxBytes: Int = 32 << 20

    @Option(help: "Most bytes of one client's task results kept in memory (its older ones spill first).")
    var taskResultsMaxBytesPerClient: Int = 8 << 20

    @Option(
        help: ArgumentHelp(
            "Where request handlers run: event-loop (the connection's own thread; default) or pool (Swift's pool).",
            discussion: "pool is Hummingbird's default; docs/benchmarks-overhead.md compares the two."))
    var handlerExecutor: String = HandlerExecutor.eventLoop.rawValue

    @Option(
        help: ArgumentHelp(
            "What drives libcurl: thread (a multi handle on a thread of its own; default) or event-loop (one per server event loop).",
            discussion: "docs/benchmarks-overhead.md compares the two."))
    var upstreamDriver: String = UpstreamDriver.thread.rawValue

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    @Option(help: "Log line format: text (key=value) or json (one object per line). Every request gets an access line.")
    var logFormat: String = "text"

    @Option(
        help: ArgumentHelp(
            "Send OpenTelemetry traces over OTLP/HTTP to this collector (base URL; spans go to …/v1/traces).",
            discussion: "Off by default; the standard OTEL_* variables also turn traces on and take precedence."))
    var otelEndpoint: String?

    func validate() throws {
        if let otelEndpoint, !(otelEndpoint.hasPrefix("http://") || otelEndpoint.hasPrefix("https://")) {
            throw ValidationError("--otel-endpoint must be an http:// or https:// URL")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard HandlerExecutor(rawValue: handlerExecutor) != nil else {
            throw ValidationError("--handler-executor must be event-loop or pool")
        }
        guard UpstreamDriver(rawValue: upstreamDriver) != nil else {
            throw ValidationError("--upstream-driver must be event-loop or thread")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard commitIntervalMs >= 0 else { throw ValidationError("--commit-interval-ms must be ≥ 0") }
        guard (1_000...86_400_000).contains(replicaLeaseMs) else {
            throw ValidationError("--replica-lease-ms must be 1000...86400000")
        }
        for (flag, value) in [
            ("--header-timeout-ms", headerTimeoutMs), ("--idle-timeout-ms", idleTimeoutMs),
            ("--body-timeout-ms", bodyTimeoutMs),
        ] where !(1...86_400_000).contains(value) {
            throw ValidationError("\(flag) must be 1...86400000")
        }
        if allowAnonymous {
            let loopback = ServiceConfiguration(host: host).bindsLoopbackOnly
            guard loopback else { throw ValidationError("--allow-anonymous is only allowed on a loopback --host") }
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? Logger.Level(rawValue: logLevel) ?? .info
        // StreamLogHandler's format; metadata rendered only for lines written (see DeferredMetadataLogHandler).
        if logFormat == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            LoggingSystem.bootstrap { label in DeferredMetadataLogHandler(label: label, level: level) }
        }
        let logger = Logger(label: "claude-router")
        // Every client connection holds a descriptor: the soft limit is raised to the hard one, so a few hundred
        // slow clients (each closed after --header-timeout-ms) do not leave none for the next.
        OpenFileLimit.raiseToHard(logger: logger)
        MallocArenas.limitForServe(logger: logger)

        let clock = SystemClock()
        let store: PolicyStore
        do {
            store = try PolicyStore(directory: policies, clock: clock, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("claude-router: the policy is invalid; not starting.\n\(error)\n".utf8))
            throw ExitCode(1)
        }
        let policy = store.current

        let db = try LedgerStores.location(self.db, fallback: "claude-router.sqlite")
        let ledger: any LedgerProtocol
        do {
            ledger = try LedgerStores.ledger(
                db, configuration: LedgerConfiguration(commitInterval: .milliseconds(commitIntervalMs)))
        } catch {
            FileHandle.standardError.write(
                Data("claude-router: cannot open the ledger \(LedgerStores.display(db)): \(error)\n".utf8))
            throw ExitCode(1)
        }

        let taskStore: TaskStore
        do {
            taskStore = TaskStore(
                queue: try LedgerStores.taskQueue(
                    db, replicaID: replicaId, leaseMillis: Int64(replicaLeaseMs), accounting: ledger))
        } catch {
            FileHandle.standardError.write(
                Data("claude-router: cannot open the task queue in \(LedgerStores.display(db)): \(error)\n".utf8))
            throw ExitCode(1)
        }

        var services: [any Service] = [LedgerService(ledger: ledger, logger: logger)]
        var tracer: RouterTracer?
        if OTLPTracing.isEnabled(endpoint: otelEndpoint, environment: environment) {
            do {
                let tracing = try OTLPTracing.make(endpoint: otelEndpoint, environment: environment, logger: logger)
                tracer = tracing.tracer
                // First in the group, so it stops last and exports the spans the others ended.
                services.insert(tracing.service, at: 0)
                logger.notice(
                    "tracing on", metadata: ["otel_endpoint": "\(otelEndpoint ?? "from the OTEL_* environment")"])
            } catch {
                FileHandle.standardError.write(Data("claude-router: cannot start tracing: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let key = environment["ANTHROPIC_API_KEY"].flatMap { $0.isEmpty ? nil : UpstreamKey($0) }
        let upstreamURL: String
        if key != nil || upstream != nil {
            upstreamURL = upstream ?? environment["ANTHROPIC_BASE_URL"] ?? "https://api.anthropic.com"
            logger.notice("upstream", metadata: ["url": "\(upstreamURL)", "key": "\(key == nil ? "none" : "set")"])
        } else {
            let simPort = try FreePort.loopback()
            var simLogger = Logger(label: "simulator")
            simLogger.logLevel = max(level, .notice)
            let simulator = ClaudeSimulator(
                config: SimulatorConfig.covering(policy), clock: ScaledClock(timeScale: simulatorTimeScale),
                logger: simLogger)
            services.append(simulator.buildApplication(host: "127.0.0.1", port: simPort))
            upstreamURL = upstream ?? "http://127.0.0.1:\(simPort)"
            logger.warning(
                """
                ANTHROPIC_API_KEY is not set: using the built-in Claude API SIMULATOR as the upstream \
                (\(upstreamURL)). Answers are simulated; nothing is sent to Anthropic and nothing is billed.
                """)
        }

        var configuration = ServiceConfiguration(
            host: host, port: port, policiesDirectory: policies, upstreamBaseURL: upstreamURL, upstreamKey: key,
            allowAnonymous: allowAnonymous, shutdownGraceMillis: shutdownGraceMs, forwardSimulatorHeaders: key == nil)
        configuration.headerTimeoutMillis = headerTimeoutMs
        configuration.idleTimeoutMillis = idleTimeoutMs
        configuration.bodyTimeoutMillis = bodyTimeoutMs
        configuration.handlerExecutor = HandlerExecutor(rawValue: handlerExecutor) ?? .eventLoop
        let curl = CurlHTTPClient.forServer(driver: UpstreamDriver(rawValue: upstreamDriver) ?? .thread)
        let service = buildRouterApplication(
            configuration: configuration, policies: store,
            dependencies: RouterDependencies(
                clock: clock, transport: CurlTransport(client: curl, baseURL: upstreamURL, key: key),
                // limits.yaml: buckets less the headroom margin, queue bounds; reloads reach it through reloadPolicy().
                pacer: Pacer(policy: policy.limits), recorder: ledger, spend: LedgerSpend(ledger),
                tasks: TaskResults(
                    limits: .init(maxBytes: taskResultsMaxBytes, maxBytesPerClient: taskResultsMaxBytesPerClient)),
                taskStore: taskStore,
                reports: SQLiteUsageReports { () throws(LedgerError) in try LedgerStores.reader(db) },
                readiness: { ledger.lastError.map { "\($0)" } }, tracer: tracer, logger: logger))
        do {
            if let shared = try LedgerStores.budgetHolds(db, queue: taskStore.queue, ledger: ledger) {
                service.shareBudgetHolds(shared)
            }
        } catch {
            FileHandle.standardError.write(
                Data("claude-router: cannot share budget holds in \(LedgerStores.display(db)): \(error)\n".utf8))
            throw ExitCode(1)
        }
        if let scheduler = service.makeBatchScheduler(callbacks: CurlCallbackSender(client: curl)) {
            services.append(BatchSchedulerService(scheduler: scheduler, clock: clock))
        }
        if let alerts = service.makeBudgetAlerts(sender: CurlCallbackSender(client: curl)) {
            services.append(BudgetAlertService(alerts: alerts, clock: clock))
        }

        services.append(
            PolicyWatcher(
                store: store, reload: { _ = service.reloadPolicy() },
                intervalMillis: configuration.policyReloadIntervalMillis))
        let app = service.buildApplication(
            host: host, port: port,
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice(
                    "claude-router listening",
                    metadata: [
                        "address": "http://\(host):\(bound)", "policy": "\(policy.contentHash.prefix(12))",
                        "policies": "\(policies ?? "embedded defaults")", "ledger": "\(ledger.location)",
                    ])
            })
        services.append(app)
        // After the app, so it is told first: streams get --shutdown-grace-ms to finish, then are cut and recorded.
        services.append(service.streamShutdownService())
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // A backstop only: streams are cut at the grace period; this bounds anything else that hangs.
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(shutdownGraceMs) + .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        await curl.shutdown()
    }
}
