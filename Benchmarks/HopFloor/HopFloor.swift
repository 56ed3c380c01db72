import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import RouterHTTP
import UpstreamCurl

/// The floor under the router's overhead: the stack the router is built on, with none of its work.
///
/// Usage: `HopFloor PORT answer|proxy [UPSTREAM-BASE-URL] [thread|event-loop]`
/// - `answer`: Hummingbird 2 alone. `POST /v1/messages` reads the whole body and answers a fixed Messages
///   response of about 1.8 KB, as the benchmark's C mock does.
/// - `proxy`: Hummingbird 2 and libcurl (`CurlHTTPClient`), as the router wires them: the body is read whole, sent
///   to `UPSTREAM-BASE-URL/v1/messages` with the client's key and version headers, and the upstream's status and
///   body are returned. No authentication, parsing, decision, pacing, ledger, metrics or logging.
///
/// Both run each connection's handler on its event loop (`EventLoopPinnedChannel`, the router's default), and
/// `proxy` drives libcurl with the router's default driver unless the fourth argument names another.
/// `Benchmarks/router-overhead/run.sh` runs both beside the router when `FLOOR_BIN` names this binary, so every
/// router figure stands next to the cost of the stack under it, measured in the same run. Listens on 127.0.0.1.
@main
struct HopFloor {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let driver = arguments.count > 3 ? UpstreamDriver(rawValue: arguments[3]) : .thread
        guard arguments.count >= 2, let port = Int(arguments[0]), (0...65_535).contains(port), let driver,
            arguments[1] == "answer" || (arguments[1] == "proxy" && arguments.count >= 3)
        else {
            print("usage: HopFloor PORT answer|proxy [UPSTREAM-BASE-URL] [thread|event-loop]")
            exit(2)
        }
        let router = Router()
        if arguments[1] == "answer" {
            let answer = ByteBuffer(bytes: Array(cannedResponse.utf8))
            router.post("/v1/messages") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 32 << 20)
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: answer))
            }
        } else {
            let client = CurlHTTPClient.forServer(driver: driver)
            let url = arguments[2] + "/v1/messages"
            let key = HTTPField.Name("x-api-key")!
            let version = HTTPField.Name("anthropic-version")!
            router.post("/v1/messages") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 32 << 20)
                let upstream = UpstreamRequest(
                    method: "POST", url: url,
                    headers: [
                        ("x-api-key", request.headers[key] ?? ""),
                        ("anthropic-version", request.headers[version] ?? "2023-06-01"),
                        ("content-type", "application/json"),
                    ],
                    body: Array(body.readableBytesView))
                let response = try await client.execute(upstream)
                let bytes = try await response.body.collect(upTo: 32 << 20)
                return Response(
                    status: .init(code: response.status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        let server = HTTPServerBuilder { responder in
            EventLoopPinnedChannel(base: HTTP1Channel(responder: responder))
        }
        let app = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: port), serverName: "hop-floor", backlog: 4096))
        try await app.runService()
    }

    /// A Messages response of the size the C mock answers (Benchmarks/router-overhead/mock/mock.c).
    static let cannedResponse: String = {
        let text = String(repeating: "The tone of this text is formal. ", count: 48)
        return #"{"id":"msg_floor","type":"message","role":"assistant","model":"claude-haiku-4-5","#
            + #""content":[{"type":"text","text":""# + text + #""}],"stop_reason":"end_turn","#
            + #""stop_sequence":null,"usage":{"input_tokens":420,"output_tokens":20,"#
            + #""cache_creation_input_tokens":0,"cache_read_input_tokens":0}}"#
    }()
}
