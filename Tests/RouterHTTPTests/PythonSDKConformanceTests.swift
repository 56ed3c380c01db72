import Foundation
import HummingbirdTesting
import Testing
import TestSupport

/// Drives the service with the official `anthropic` Python SDK (`Tests/conformance/sdk_router_test.py`): create,
/// stream (text and tool use), multi-turn, count_tokens, models, and errors as the SDK's typed exceptions.
/// The script skips (exit 77) when PyPI is unreachable. Disable with `CLAUDE_ROUTER_SKIP_SDK_TESTS=1`.
@Suite struct PythonSDKConformanceTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("conformance/sdk_router_test.py")

    static var enabled: Bool { ProcessInfo.processInfo.environment["CLAUDE_ROUTER_SKIP_SDK_TESTS"] == nil }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(5)))
    func officialPythonSDKWorksThroughTheRouter() async throws {
        var harness = try ServiceHarness()
        harness.live = true
        try await harness.run { client, _ in
            let port = try #require(client.port)
            let (status, data) = await runOffThePool(
                ["python3", Self.script.path, "--base-url", "http://127.0.0.1:\(port)"])
            let text = String(decoding: data, as: UTF8.self)
            print(text)
            if status == 77 { return }
            #expect(status == 0, "\(text)")
        }
    }
}
