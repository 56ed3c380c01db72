import ClaudeAPI
import HTTPTypes
import Hummingbird
import Logging

/// Bodies larger than this get 413, like the API's 32 MB limit.
let messagesBodyLimit = 32 * 1_024 * 1_024

extension ClaudeSimulator {
    func addMessageRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/messages") { request, _ in try await self.createMessage(request) }
        router.post("/v1/messages/count_tokens") { request, _ in try await self.countTokens(request) }
    }

    /// Reads and parses a JSON body.
    func jsonBody(_ request: Request, limit: Int = messagesBodyLimit) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw SimulatorError(status: .contentTooLarge, type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes.")
        }
        do {
            return try JSONValue.parse(buffer.readableBytesView)
        } catch {
            throw SimulatorError.invalidRequest("\(error)")
        }
    }

    /// Cache and rate-limit isolation: a hash of the key (never the key itself) and the scenario.
    func scope(_ request: Request) -> (cache: String, limits: String, scenario: String) {
        let scenario = request.headers[.simScenario] ?? ""
        var hash = StableHash()
        hash.combine(request.headers[.apiKey] ?? request.headers[.authorization] ?? "")
        return ("\(hash.value)|\(scenario)", scenario, scenario)
    }

    func options(_ request: Request, scope: String) throws(SimulatorError) -> MessageEngine.Options {
        var options = MessageEngine.Options(scope: scope)
        if let text = request.headers[.simOutputTokens] {
            guard let n = Int(text), n >= 1 else { throw .invalidRequest("x-sim-output-tokens: expected a positive integer") }
            options.outputTokens = n
        }
        options.toolUse = request.headers[.simToolUse]
        if let text = request.headers[.simThinkingTokens] {
            guard let n = Int(text), n >= 1 else {
                throw .invalidRequest("x-sim-thinking-tokens: expected a positive integer")
            }
            options.thinkingTokens = n
        }
        return options
    }

    func createMessage(_ request: Request) async throws -> Response {
        let body = try await jsonBody(request)
        let scope = scope(request)
        let prepared = try engine.prepare(body, endpoint: .messages, scope: scope.cache)
        let options = try options(request, scope: scope.cache)
        let fault = try faults.next(scenario: scope.scenario, header: request.headers[.simFault])
        let streaming = prepared.body["stream"]?.boolValue ?? false

        switch fault {
        case .status(let code): throw SimulatorError.forStatus(code)
        case .streamError(let type) where !streaming: throw SimulatorError.forStatus(type == "overloaded_error" ? 529 : 500)
        case .dropConnection: return Self.droppedConnection()
        default: break
        }

        let now = clock.now()
        let plan = engine.plan(prepared, now: now)
        let model = prepared.model
        let limits = config.limits(forBucket: model.rateLimitBucket)
        let limitKey = scope.limits + "|" + model.rateLimitBucket
        let charged = plan.usage.inputTokens + plan.usage.cacheCreation + (model.cacheReadsCountTowardITPM ? plan.usage.cacheRead : 0)
        switch limiter.admit(key: limitKey, limits: limits, inputTokens: charged, now: now) {
        case .limited(let wait, let levels):
            var headers = RateLimitHeaders.fields(levels)
            headers[.retryAfter] = String(max(1, Int((wait / clock.timeScale).rounded(.up))))
            throw SimulatorError(
                status: .tooManyRequests, type: "rate_limit_error",
                message: "This request would exceed the rate limit for your organization of \(limits.requestsPerMinute) requests, \(limits.inputTokensPerMinute) input tokens and \(limits.outputTokensPerMinute) output tokens per minute (model: \(model.datedID)). Please reduce the prompt length or the maximum tokens requested, or try again later.",
                headers: headers)
        case .admitted: break
        }

        let message = engine.answer(prepared, plan: plan, options: options)
        let delay = fault.firstByteDelay ?? config.firstByteDelayMilliseconds
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        // The response starts now: only from here can other requests read what this one wrote.
        engine.cache.commit(plan)
        let after = limiter.recordOutput(key: limitKey, limits: limits, outputTokens: message.outputTokens, now: clock.now())
        var headers = RateLimitHeaders.fields(after)
        logger.debug(
            "simulated message",
            metadata: [
                "model": "\(model.datedID)", "input": "\(plan.usage.inputTokens)", "cache_read": "\(plan.usage.cacheRead)",
                "cache_write": "\(plan.usage.cacheCreation)", "output": "\(message.outputTokens)",
            ])
        if streaming {
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            let failure: String? = if case .streamError(let type) = fault { type } else { nil }
            let stream = EventStream(message: message, tokensPerDelta: config.tokensPerDelta, interDeltaDelay: config.interDeltaDelayMilliseconds, failure: failure)
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await stream.write(to: &writer) })
        }
        headers[.contentType] = "application/json"
        let bytes = message.json(serviceTier: "standard").serialized()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func countTokens(_ request: Request) async throws -> Response {
        let body = try await jsonBody(request)
        let prepared = try engine.prepare(body, endpoint: .countTokens, scope: "")
        // Its own RPM, separate from the Messages buckets; counted only for requests the API accepts.
        var headers = try admitEndpointRequest(
            bucket: SimulatorConfig.countTokensBucket, scope: scope(request).limits, what: "count_tokens")
        headers[.contentType] = "application/json"
        let result: JSONValue = ["input_tokens": .number(JSONNumber(prepared.layout.totalTokens))]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.serialized())))
    }

    /// A response whose body fails at once: the server closes the connection without completing the reply.
    static func droppedConnection() -> Response {
        struct Dropped: Error {}
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { _ in throw Dropped() })
    }
}

extension Fault {
    var firstByteDelay: Int? {
        if case .slowFirstByte(let ms) = self { return ms }
        return nil
    }
}
