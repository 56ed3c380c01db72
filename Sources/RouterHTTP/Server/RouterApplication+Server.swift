public import Hummingbird
public import HummingbirdCore
import NIOCore

extension RouterApplication {
    /// The HTTP/1.1 server the router runs on: Hummingbird's, with a `ConnectionGuard` on every connection (header,
    /// idle and body timeouts; refused bodies not drained; parser errors in the API's error shape), a bounded
    /// request head, and each connection's handler on the connection's own event loop (`handlerExecutor`, the
    /// default) or, with `.pool`, on Swift's global pool.
    public func httpServer() -> HTTPServerBuilder {
        let c = configuration
        let limits = ConnectionGuard.Limits(
            headerTimeout: .milliseconds(Int64(max(1, c.headerTimeoutMillis))),
            idleTimeout: .milliseconds(Int64(max(1, c.idleTimeoutMillis))),
            bodyTimeout: .milliseconds(Int64(max(1, c.bodyTimeoutMillis))))
        let headerBytes = max(4096, c.maxHeaderBytes)
        let logger = self.logger
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(limits: limits, logger: logger)],
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: headerBytes, maxHeaderListSize: headerBytes, maxHeaderFieldCount: 256))
        switch c.handlerExecutor {
        case .pool:
            return .http1(configuration: http1)
        case .eventLoop:
            return HTTPServerBuilder { responder in
                EventLoopPinnedChannel(base: HTTP1Channel(responder: responder, configuration: http1))
            }
        }
    }

    /// Connections the kernel may hold for the router before it accepts them (capped by `net.core.somaxconn`).
    /// Hummingbird's default of 256 overflowed when 300 clients connected at once: the kernel dropped the handshake
    /// of the extra ones, which then waited for a SYN-ACK retransmission (1 s, then 2, 4, …) before being served.
    static let listenBacklog = 4096

    /// The router as a Hummingbird application on `host:port`, on `httpServer()`, served by `eventLoopGroup`'s loops
    /// (`serve`: the process-wide singleton; a test may give the server loops of its own).
    public func buildApplication(
        host: String, port: Int, eventLoopGroup: EventLoopGroupProvider = .singleton,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(), server: httpServer(),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "claude-router", backlog: Self.listenBacklog),
            onServerRunning: onServerRunning, eventLoopGroupProvider: eventLoopGroup, logger: logger)
    }
}
