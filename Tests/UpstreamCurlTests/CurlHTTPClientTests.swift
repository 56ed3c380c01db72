import Foundation
import Testing

@testable import UpstreamCurl

/// The limit guards against a hang only: the whole suite runs these tests beside ~700 others on 2 cores, and a
/// loaded machine (a CI runner shared with builds) stretched them past one minute.
@Suite(.timeLimit(.minutes(5)))
struct CurlHTTPClientTests {
    @Test(arguments: Driver.allCases)
    func returnsStatusHeadersAndBody(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(url: "\(base)/hello"))
            #expect(response.status == 200)
            #expect(response.httpVersion == "HTTP/1.1")
            #expect(response.header("X-Greeting") == "hi")
            #expect(try await response.body.collect(upTo: 1024) == Array("hello".utf8))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func errorStatusesAreResponsesNotErrors(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(url: "\(base)/status/529"))
            #expect(response.status == 529)
            #expect(try await response.body.collect(upTo: 1024).isEmpty)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func sendsRequestHeadersAndAnEmptyExpect(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(
                UpstreamRequest(url: "\(base)/headers", headers: [(name: "x-echo", value: "value with spaces")]))
            #expect(response.header("x-echo") == "value with spaces")
            #expect(response.header("x-expect") == "(none)")
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func headRequestHasHeadersAndNoBody(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(method: "HEAD", url: "\(base)/hello"))
            #expect(response.status == 200)
            #expect(response.header("x-greeting") == "hi")
            #expect(try await response.body.collect(upTo: 1024).isEmpty)
            await client.shutdown()
        }
    }

    @Test(arguments: ["POST", "PUT"], Driver.allCases)
    func echoesRequestBodies(method: String, driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let body = Array(#"{"model":"claude-haiku-4-5","max_tokens":16}"#.utf8)
            let response = try await client.execute(
                UpstreamRequest(method: method, url: "\(base)/echo", body: body))
            #expect(response.header("x-method") == method)
            #expect(response.header("x-content-length") == "\(body.count)")
            #expect(try await response.body.collect(upTo: 1024) == body)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func uploadsAndDownloadsSeveralMegabytes(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let body = TestServer.pattern(from: 7, count: 5 * 1024 * 1024)
            let echoed = try await client.execute(UpstreamRequest(method: "POST", url: "\(base)/echo", body: body))
            #expect(try await echoed.body.collect(upTo: 6 << 20) == body)

            let download = try await client.execute(UpstreamRequest(url: "\(base)/bytes/\(8 << 20)"))
            #expect(try await download.body.collect(upTo: 8 << 20) == TestServer.pattern(from: 0, count: 8 << 20))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func smallBufferPausesAndResumesWithoutLosingBytes(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client(
                configuration: .init(bodyHighWaterMark: 32 * 1024, bodyLowWaterMark: 8 * 1024))
            let count = 3 << 20
            let response = try await client.execute(UpstreamRequest(url: "\(base)/bytes/\(count)"))
            var received: [UInt8] = []
            var chunks = 0
            for try await chunk in response.body {
                received += chunk
                chunks += 1
                // Let the multi thread fill the buffer past the high-water mark between reads.
                if chunks % 8 == 0 { await Task.yield() }
            }
            #expect(received == TestServer.pattern(from: 0, count: count))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func bodyChunksArriveOneByOneAsTheServerSendsThem(driver: Driver) async throws {
        try await TestServer.with { server, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(url: "\(base)/gated"))
            var iterator = response.body.makeAsyncIterator()
            for index in 0..<3 {
                // The server sends chunk n+1 only after the test read chunk n, so each read proves the chunk
                // was delivered while the response was still open.
                #expect(try await iterator.next() == Array("chunk-\(index)".utf8))
                server.nextChunk.signal()
            }
            #expect(try await iterator.next() == nil)
            #expect(try await iterator.next() == nil)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func hundredsOfConcurrentRequestsEachGetTheirOwnResponse(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client(configuration: .init(maxConnectionsPerHost: 16))
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    group.addTask { try await TestServer.echoes(index, through: client, base: base) }
                }
                var matched = 0
                for try await ok in group where ok { matched += 1 }
                #expect(matched == 300)
            }
            let metrics = client.metrics
            #expect(metrics.activeTransfers == 0)
            #expect(metrics.transfersCompleted == 300)
            #expect(metrics.connectionsOpened <= 16)
            await client.shutdown()
        }
    }

    /// URLs are parsed once per client and shared between transfers (`ParsedURLCache`, 64 entries); past that,
    /// requests fall back to a per-transfer URL. Either way each request must reach its own URL, also when a pooled
    /// handle last served another one.
    @Test(arguments: Driver.allCases)
    func distinctURLsEachReachTheirOwnPathBeyondTheParsedURLCache(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            for round in 0..<2 {
                for count in 1...80 {
                    let size = round == 0 ? count : 81 - count
                    let response = try await client.execute(UpstreamRequest(url: "\(base)/bytes/\(size)"))
                    #expect(try await response.body.collect(upTo: 1024) == TestServer.pattern(from: 0, count: size))
                }
            }
            #expect(client.metrics.transfersCompleted == 160)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func sequentialRequestsReuseOneConnection(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            for _ in 0..<10 {
                let response = try await client.execute(UpstreamRequest(url: "\(base)/hello"))
                _ = try await response.body.collect(upTo: 1024)
            }
            // One connection per multi handle: requests made off the loops go to the handles in turn.
            #expect(client.metrics.connectionsOpened == driver.handles)
            #expect(client.metrics.transfersCompleted == 10)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func serverThatNeverAnswersTimesOut(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let timeouts = UpstreamRequest.Timeouts(total: .milliseconds(300))
            do throws(UpstreamError) {
                _ = try await client.execute(UpstreamRequest(url: "\(base)/stall", timeouts: timeouts))
                Issue.record("expected a timeout")
            } catch {
                #expect(error.code == .timedOut)
                #expect(!error.receivedResponse)
                #expect(error.isRetryable)
            }
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func idleTimeoutStopsASilentTransfer(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client(configuration: .init(timeouts: .init(idle: .seconds(1))))
            do throws(UpstreamError) {
                _ = try await client.execute(UpstreamRequest(url: "\(base)/stall"))
                Issue.record("expected an idle timeout")
            } catch {
                #expect(error.code == .timedOut)
            }
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func closedPortFailsToConnect(driver: Driver) async throws {
        let client = driver.client()
        do throws(UpstreamError) {
            _ = try await client.execute(UpstreamRequest(url: "http://127.0.0.1:1/"))
            Issue.record("expected a connect failure")
        } catch {
            #expect(error.code == .connectFailed)
            #expect(error.isRetryable)
            #expect(!error.receivedResponse)
        }
        await client.shutdown()
    }

    @Test(arguments: Driver.allCases)
    func invalidRequestsFailBeforeAnythingIsSent(driver: Driver) async throws {
        let client = driver.client()
        let requests = [
            UpstreamRequest(url: "http://127.0.0.1:1/", headers: [(name: "x-api-key", value: "sk\r\nInjected: 1")]),
            UpstreamRequest(url: "ftp://127.0.0.1:1/"),
            UpstreamRequest(method: "GET /", url: "http://127.0.0.1:1/"),
        ]
        for request in requests {
            do throws(UpstreamError) {
                _ = try await client.execute(request)
                Issue.record("expected invalidRequest")
            } catch {
                #expect(error.code == .invalidRequest)
                #expect(!error.message.contains("sk"))
            }
        }
        #expect(client.metrics.connectionsOpened == 0)
        await client.shutdown()
    }

    @Test(arguments: Driver.allCases)
    func cancellingBeforeTheHeadStopsTheTransferAndFreesItsHandle(driver: Driver) async throws {
        try await TestServer.with { server, base in
            let client = driver.client()
            let task = Task { try await client.execute(UpstreamRequest(url: "\(base)/stall")) }
            await server.arrived.wait()
            #expect(client.activeTransfers == 1)
            task.cancel()
            let result = await task.result
            #expect((result.failure as? UpstreamError)?.code == .cancelled)
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func cancellingDuringTheBodyStopsTheTransferAndFreesItsHandle(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(url: "\(base)/gated"))
            let firstRead = Signal()
            let reader = Task {
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
                firstRead.signal()
                return try await iterator.next()
            }
            await firstRead.wait()
            reader.cancel()
            let result = await reader.result
            #expect((result.failure as? UpstreamError)?.code == .cancelled)
            #expect(client.activeTransfers == 0)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func droppingAnUnreadBodyCancelsItsTransfer(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            do {
                let response = try await client.execute(UpstreamRequest(url: "\(base)/gated"))
                #expect(response.status == 200)
            }
            // Commands reach the multi thread in order: the drop's cancel is handled before this request starts.
            let next = try await client.execute(UpstreamRequest(url: "\(base)/hello"))
            _ = try await next.body.collect(upTo: 1024)
            #expect(client.activeTransfers == 0)
            #expect(client.metrics.transfersCompleted == 2)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func collectRefusesBodiesOverTheLimit(driver: Driver) async throws {
        try await TestServer.with { _, base in
            let client = driver.client()
            let response = try await client.execute(UpstreamRequest(url: "\(base)/bytes/100000"))
            do throws(UpstreamError) {
                _ = try await response.body.collect(upTo: 1000)
                Issue.record("expected responseTooLarge")
            } catch {
                #expect(error.code == .responseTooLarge)
            }
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.allCases)
    func shutdownCancelsRunningTransfersAndRefusesNewOnes(driver: Driver) async throws {
        try await TestServer.with { server, base in
            let client = driver.client()
            let stalled = Task { try await client.execute(UpstreamRequest(url: "\(base)/stall")) }
            await server.arrived.wait()
            await client.shutdown()
            #expect((await stalled.result.failure as? UpstreamError)?.code == .cancelled)
            do throws(UpstreamError) {
                _ = try await client.execute(UpstreamRequest(url: "\(base)/hello"))
                Issue.record("expected the shut-down client to refuse")
            } catch {
                #expect(error.code == .cancelled)
            }
        }
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
