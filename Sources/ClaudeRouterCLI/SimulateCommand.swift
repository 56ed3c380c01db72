import ArgumentParser
import ClaudeSimulator
import Foundation
import Hummingbird
import Logging

/// `claude-router simulate`: the Claude API simulator on a local port.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the Claude API simulator: real shapes, token accounting, prompt caching, rate limits, faults.",
        discussion: """
            Serves /v1/messages (streaming too), /v1/messages/count_tokens, /v1/models and /v1/messages/batches \
            like the Claude API, with deterministic output. Point any SDK at it with base_url http://HOST:PORT \
            and any non-empty API key.

            Steering headers: x-sim-output-tokens: N (reply length), x-sim-tool-use: NAME|true (force a tool \
            call), x-sim-fault: 529 | 500 | 429 | slow:MS | drop | stream-error | sequence=529,529 | \
            random=529@0.1, x-sim-scenario: NAME (isolates fault programs, rate limits and cache), \
            x-sim-batch-outcome: id=errored|expired|canceled. Admin: POST/GET/DELETE /_sim/faults, POST /_sim/reset.
            """)

    @Option(help: "Port to listen on.")
    var port: Int = 8089

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "JSON config file (models, tiers, output sizes, timings, faults); defaults to the built-in line-up.")
    var config: String?

    @Option(help: "Seed for ids and generated text (overrides the config's).")
    var seed: UInt64?

    @Option(help: "Simulated seconds per real second (60 makes a 5-minute cache TTL last 5 seconds).")
    var timeScale: Double = 1

    @Option(help: "Rate-limit tier name from the config (start, build, scale by default).")
    var tier: String?

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard timeScale > 0 else { throw ValidationError("--time-scale must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        var settings = SimulatorConfig.default
        if let config {
            do {
                settings = try SimulatorConfig.load(contentsOf: URL(fileURLWithPath: config))
            } catch {
                throw ValidationError("cannot read --config \(config): \(error)")
            }
        }
        if let seed { settings.seed = seed }
        if let tier {
            guard settings.tiers[tier] != nil else {
                throw ValidationError("unknown --tier '\(tier)'; the config has: \(settings.tiers.keys.sorted().joined(separator: ", "))")
            }
            settings.tier = tier
        }
        var logger = Logger(label: "claude-router.simulate")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let simulator = ClaudeSimulator(config: settings, clock: ScaledClock(timeScale: timeScale), logger: logger)
        logger.notice(
            "Claude API simulator listening",
            metadata: [
                "address": "http://\(host):\(port)", "models": "\(settings.models.count)", "tier": "\(settings.tier)",
                "time_scale": "\(timeScale)", "seed": "\(settings.seed)",
            ])
        try await simulator.buildApplication(host: host, port: port).runService()
    }
}
