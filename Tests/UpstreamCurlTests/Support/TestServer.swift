import HTTPTypes
import Hummingbird
import NIOCore
import UpstreamCurl

/// A Hummingbird server on 127.0.0.1 with a port the system picks, with endpoints the client tests need.
///
/// `/gated` and `/stall` wait on signals the test controls, so tests observe arrival order without timing.
final class TestServer: Sendable {
    /// Signalled by `/stall` and `/gated` when their request arrived.
    let arrived = Signal()
    /// Each signal lets `/gated` send its next chunk.
    let nextChunk = Signal()
    /// Lets `/stall` answer.
    let release = Signal()

    /// Runs `body` with the base URL of a running server, then stops the server.
    static func with<T: Sendable>(_ body: @Sendable (TestServer, String) async throws -> T) async throws -> T {
        let server = TestServer()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        // On the client tests' own event loops, not the process-wide ones: the suite's multi-megabyte transfers then
        // do not queue in front of the router tests' servers, which run in the same process on the singleton group.
        let app = Application(
            router: server.makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(Driver.group))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(server, "http://127.0.0.1:\(port)"))
            } catch {
                result = .failure(error)
            }
            // Unblock handlers still waiting so graceful shutdown can finish.
            server.nextChunk.signal(100)
            server.release.signal(100)
            group.cancelAll()
            return try result.get()
        }
    }

    /// Posts "request-<index>" to `/echo` through `client`; whether exactly those bytes came back.
    static func echoes(_ index: Int, through client: CurlHTTPClient, base: String) async throws -> Bool {
        let body = Array("request-\(index)".utf8)
        let response = try await client.execute(UpstreamRequest(method: "POST", url: "\(base)/echo", body: body))
        return try await response.body.collect(upTo: 1024) == body
    }

    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/hello") { _, _ in
            Response(
                status: .ok, headers: [HTTPField.Name("x-greeting")!: "hi"],
                body: .init(byteBuffer: ByteBuffer(string: "hello")))
        }
        router.head("/hello") { _, _ in
            Response(status: .ok, headers: [HTTPField.Name("x-greeting")!: "hi"])
        }
        router.get("/headers") { request, _ in
            var headers = HTTPFields()
            headers[HTTPField.Name("x-echo")!] = request.headers[HTTPField.Name("x-echo")!] ?? "(none)"
            headers[HTTPField.Name("x-expect")!] = request.headers[.expect] ?? "(none)"
            return Response(status: .ok, headers: headers)
        }
        router.on("/echo", method: .post, use: Self.echo)
        router.on("/echo", method: .put, use: Self.echo)
        router.get("/status/{code}") { _, context in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(status: .init(code: code))
        }
        router.get("/bytes/{count}") { _, context in
            let count = try context.parameters.require("count", as: Int.self)
            return Response(
                status: .ok,
                body: .init(contentLength: count) { writer in
                    var sent = 0
                    while sent < count {
                        let size = min(64 * 1024, count - sent)
                        try await writer.write(ByteBuffer(bytes: TestServer.pattern(from: sent, count: size)))
                        sent += size
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("/gated") { [self] _, _ in
            arrived.signal()
            return Response(
                status: .ok,
                body: .init { [self] writer in
                    for index in 0..<3 {
                        try await writer.write(ByteBuffer(string: "chunk-\(index)"))
                        await nextChunk.wait()
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("/stall") { [self] _, _ in
            arrived.signal()
            await release.wait()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "late")))
        }
        return router
    }

    @Sendable private static func echo(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("x-method")!] = request.method.rawValue
        headers[HTTPField.Name("x-content-length")!] = request.headers[.contentLength] ?? "(none)"
        return Response(status: .ok, headers: headers, body: .init(asyncSequence: request.body))
    }

    /// The bytes `/bytes/{count}` serves, from offset `start`.
    static func pattern(from start: Int, count: Int) -> [UInt8] {
        (start..<(start + count)).map { UInt8(truncatingIfNeeded: $0 % 251) }
    }
}
