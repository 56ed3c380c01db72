import ClaudeAPI
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Bounds what one client connection may hold, and answers protocol-level errors in the API's error shape.
///
/// One per connection, after HTTP decoding (it sees request and response parts):
/// - **header timeout**: a new connection must deliver a complete request head within `headerTimeout`, so slow
///   (half-sent) headers cannot hold file descriptors;
/// - **idle timeout**: a kept-alive connection must start its next request within `idleTimeout`;
/// - **body timeout**: a request body must be complete within `bodyTimeout` of its head;
/// - **no drain of refused bodies**: when a response ends while its request's body is still arriving and the
///   body is large (`content-length` over `drainLimitBytes`, or chunked), or the response says `connection: close`,
///   the connection is closed rather than the body read and discarded, so a refused (e.g. keyless) request costs
///   its headers and nothing more;
/// - **parser errors**: Hummingbird answers a malformed request with a bare 400; it is rewritten here into the API's
///   `invalid_request_error` JSON with a request id.
///
/// A timeout closes the connection. While a request is being handled (head and body in, response not finished)
/// no timeout runs: a long stream is the handler's business.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The limits of one connection.
    struct Limits: Sendable {
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var bodyTimeout: TimeAmount
        /// A refused request's unread body up to this size is read and discarded (keeping the connection); a larger
        /// one closes it.
        var drainLimitBytes: Int = 16 * 1024
    }

    let limits: Limits
    /// When the connection is closed unless the running timeout is disarmed first; nil while none runs.
    private var deadline: NIODeadline?
    /// The one scheduled check, and when it fires. Arming a timeout only moves `deadline`; the check re-schedules
    /// itself for a deadline that moved later, so a busy keep-alive connection does not schedule and cancel a timer
    /// for every request (it did: two schedules and two cancels per request, about 1 % of a c = 16 profile).
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    /// Requests whose head was read and whose response has not ended (more than one when pipelined).
    private var inFlight = 0
    /// The latest request's body is still arriving.
    private var bodyOpen = false
    /// The latest request's body may be too large to drain.
    private var bodyLarge = false
    /// The response being written asked for the connection to close.
    private var closeAfterResponse = false
    /// The decoder reported a malformed request: the bare 400 Hummingbird writes next is rewritten.
    private var parseError: HTTPParserError?
    private var pendingErrorBody: ByteBuffer?

    /// Where the access line of a request that could not be parsed goes (the router's access log never sees it).
    let logger: Logger?

    init(limits: Limits, logger: Logger? = nil) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, limits.headerTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, limits.headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            inFlight += 1
            bodyOpen = true
            let length = head.headerFields.combined(.contentLength).flatMap { Int($0) }
            bodyLarge = length.map { $0 > limits.drainLimitBytes } ?? head.headerFields.contains(.transferEncoding)
            arm(context, limits.bodyTimeout)
        case .body:
            break
        case .end:
            bodyOpen = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parseError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.headerFields.combined(.connection)?.lowercased() == "close" { closeAfterResponse = true }
            if let error = parseError, head.status == .badRequest, head.headerFields.combined(.contentLength) == "0" {
                // Hummingbird's answer to a request NIO could not parse: give it the API's error shape.
                let requestID = RequestID.make()
                let body = ErrorResponse.body(
                    type: .invalidRequest, message: "The HTTP request could not be parsed (\(error)).",
                    requestID: requestID)
                head.headerFields[.contentType] = "application/json"
                head.headerFields[.contentLength] = String(body.count)
                head.headerFields[HTTPField.Name("x-router-request-id")!] = requestID
                head.headerFields[HTTPField.Name("x-should-retry")!] = "false"
                pendingErrorBody = ByteBuffer(bytes: body)
                closeAfterResponse = true
                // The one request the access-log middleware never sees: it gets its line here, with what is known.
                logger?.info(
                    "access",
                    metadata: [
                        "request_id": .string(requestID), "client": "", "method": "", "route": "",
                        "status": .stringConvertible(400), "error_type": "invalid_request_error",
                        "latency_ms": .stringConvertible(0),
                    ])
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if let body = pendingErrorBody {
                pendingErrorBody = nil
                context.write(wrapOutboundOut(.body(body)), promise: nil)
            }
            let unreadBody = inFlight == 1 && bodyOpen
            inFlight = max(0, inFlight - 1)
            if closeAfterResponse || (unreadBody && bodyLarge) {
                // Written, then closed: the rest of the request body is never read.
                let closing = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(data, promise: closing)
                closing.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                closing.futureResult.cascade(to: promise)
                return
            }
            context.write(data, promise: promise)
            if inFlight == 0, !bodyOpen { arm(context, limits.idleTimeout) }
        }
    }

    private func arm(_ context: ChannelHandlerContext, _ amount: TimeAmount) {
        let due = NIODeadline.now() + amount
        deadline = due
        if let firesAt = timerFiresAt, firesAt <= due { return }  // the pending check comes first and re-schedules
        schedule(context, at: due)
    }

    private func schedule(_ context: ChannelHandlerContext, at due: NIODeadline) {
        timer?.cancel()
        timerFiresAt = due
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.timerFiresAt = nil
            guard let deadline = self.deadline else { return }  // disarmed since
            if deadline <= .now() {
                self.deadline = nil
                context.close(promise: nil)
            } else {
                self.schedule(context, at: deadline)  // re-armed later since
            }
        }
    }

    /// Stops the running timeout; the pending check, if any, finds nothing to do.
    private func disarm() {
        deadline = nil
    }

    /// Stops the timeout and drops the pending check (the connection or this handler is going away).
    private func cancelTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
