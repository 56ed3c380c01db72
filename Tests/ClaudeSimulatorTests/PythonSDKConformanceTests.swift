import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport

@testable import ClaudeSimulator

/// Runs `Tests/conformance/sdk_simulator_test.py` (the official `anthropic` Python SDK) against an in-process
/// simulator on a live port. Needs python3; the script skips (exit 77) when PyPI is unreachable.
/// Disable with `CLAUDE_ROUTER_SKIP_SDK_TESTS=1`.
@Suite struct PythonSDKConformanceTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("conformance/sdk_simulator_test.py")

    /// On unless `CLAUDE_ROUTER_SKIP_SDK_TESTS` is set, and only where `python3` is on the PATH.
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CLAUDE_ROUTER_SKIP_SDK_TESTS"] == nil else { return false }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(5)))
    func officialPythonSDKPassesAgainstTheSimulator() async throws {
        let config = SimulatorConfig(batchProcessingSeconds: 2)
        let simulator = ClaudeSimulator(config: config, clock: ScaledClock(), logger: Logger(label: "sdk-test"))
        try await simulator.buildApplication(port: 0).test(.live) { client async throws in
            let port = try #require(client.port)
            let (status, data) = await runOffThePool(
                ["python3", Self.script.path, "--base-url", "http://127.0.0.1:\(port)"])
            let text = String(decoding: data, as: UTF8.self)
            print(text)
            if status == 77 {
                print("Python SDK conformance skipped: \(text.split(separator: "\n").last ?? "")")
                return
            }
            #expect(status == 0, "\(text)")
        }
    }
}
