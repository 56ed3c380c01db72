import ClaudeAPI
import RouterCore
import Testing
import UpstreamCurl

@testable import RouterHTTP

/// Both places a connection's handler can run (`serve --handler-executor`): on the connection's own event loop (the
/// default) and on Swift's global pool; with both drivers of the upstream client (`serve --upstream-driver`): a
/// libcurl multi handle on its own thread (the default) or one per event loop. The router served as `serve` serves
/// it answers plain and streamed Messages calls, several connections at once, and records one row per call, in
/// each of the four.
@Suite struct HandlerExecutorTests {
    @Test(arguments: HandlerExecutor.allCases, UpstreamDriver.allCases)
    func plainAndStreamedCallsOnManyConnectionsAreAnsweredAndRecorded(
        executor: HandlerExecutor, driver: UpstreamDriver
    ) async throws {
        try await LiveRouter.run(configure: { $0.handlerExecutor = executor }, driver: driver) { port, recorder in
            let curl = CurlHTTPClient()
            let url = "http://127.0.0.1:\(port)/v1/messages"
            let headers = [
                ("content-type", "application/json"), ("x-api-key", ServiceHarness.devKey),
                ("anthropic-version", "2023-06-01"),
            ]
            // Eight calls at once, every other one streamed: each its own connection through the router.
            let texts = try await withThrowingTaskGroup(of: (Bool, Int, String).self) { group in
                for index in 0..<8 {
                    let stream = index % 2 == 1
                    group.addTask {
                        let body = messagesBody("Write a haiku about tea, number \(index)", maxTokens: 64, stream: stream)
                        let response = try await curl.execute(
                            UpstreamRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8)))
                        var received: [UInt8] = []
                        for try await chunk in response.body { received += chunk }
                        return (stream, response.status, String(decoding: received, as: UTF8.self))
                    }
                }
                var all: [(Bool, Int, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            await curl.shutdown()
            #expect(texts.count == 8)
            for (stream, status, text) in texts {
                #expect(status == 200, "\(executor), \(driver): \(text.prefix(200))")
                if stream {
                    #expect(text.contains("event: message_stop") && !text.contains("event: error"))
                } else {
                    #expect((try? JSONValue.parse(text))?["type"] == "message")
                }
            }
            let rows = recorder.requests
            #expect(rows.count == 8)
            #expect(rows.filter { $0.mode == .stream }.count == 4)
            #expect(rows.allSatisfy { $0.status == 200 && $0.errorType == nil && $0.usage.output > 0 })
        }
    }
}
