public import Hummingbird
public import Logging

/// The Claude API on a local port: faithful shapes and headers, token accounting, prompt-cache emulation, rate
/// limits, injected faults and Message Batches, with deterministic output.
///
/// Run it in-process (`buildApplication(host:port:)`, or mount `buildRouter()`), or from the command line with
/// `claude-router simulate`. All state (cache, rate-limit buckets, batches, fault programs) lives in the value's
/// shared engines, so copies of the value serve one simulated API.
public struct ClaudeSimulator: Sendable {
    /// The configuration it was built with.
    public let config: SimulatorConfig
    let clock: any SimulatorClock
    let logger: Logger
    let engine: MessageEngine
    let limiter: RateLimiter
    let faults: FaultInjector
    let batches: BatchStore
    let ids: IDGenerator

    /// A simulator with its own empty cache, full rate-limit buckets and no batches.
    ///
    /// - Parameters:
    ///   - config: models, tiers, output sizes, timings and fault programs.
    ///   - clock: simulated time (TTLs, refills, batch progress); `ScaledClock(timeScale:)` or a `ManualClock`.
    ///   - logger: where request summaries go (never with keys or bodies).
    public init(config: SimulatorConfig = .default, clock: any SimulatorClock = ScaledClock(), logger: Logger) {
        self.config = config
        self.clock = clock
        self.logger = logger
        self.ids = IDGenerator(seed: config.seed)
        self.engine = MessageEngine(config: config, cache: PromptCache(), ids: ids)
        self.limiter = RateLimiter()
        self.faults = FaultInjector(programs: config.faults, seed: config.seed)
        self.batches = BatchStore()
    }

    /// The router with every endpoint: `/v1/messages`, `/v1/messages/count_tokens`, `/v1/models`,
    /// `/v1/messages/batches…`, and the admin endpoints under `/_sim/`.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(APIMiddleware<BasicRequestContext>(simulator: self))
        addMessageRoutes(to: router)
        addModelRoutes(to: router)
        // Middleware applies only to routes added after it: the batch routes.
        router.middlewares.add(BatchCreationRateLimit<BasicRequestContext>(simulator: self))
        addBatchRoutes(to: router)
        addAdminRoutes(to: router)
        return router
    }

    /// An HTTP/1.1 server application on `host:port`; run it with `runService()` or in a `ServiceGroup`.
    public func buildApplication(host: String = "127.0.0.1", port: Int) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
    }

    /// Forgets cached prefixes, rate-limit usage, batches and fault progress (programs return to the config's).
    public func reset() {
        engine.cache.removeAll()
        limiter.removeAll()
        batches.removeAll()
        faults.remove(scenario: nil)
        for (scenario, program) in config.faults { faults.install(program, scenario: scenario) }
    }
}
