import RouterCore
import Tracing

extension RouterTracer {
    /// `queue wait`: the wait for rate-limit headroom before one upstream attempt.
    func queueWaitSpan(bucket: String, priority: AdmissionQueue.Priority) -> any Span {
        let span = startSpan("queue wait")
        span.updateAttributes { attributes in
            attributes["router.rate_limit_bucket"] = bucket
            attributes["router.priority"] = priority.rawValue
        }
        return span
    }

    /// `chat MODEL`: one upstream attempt (a GenAI client span), from sending until the response head arrives; the
    /// body then streams under the request span.
    func attemptSpan(model: String, number: Int, maxOutput: Int64) -> any Span {
        let span = startSpan("\(GenAI.chat) \(model)", kind: .client)
        span.updateAttributes { attributes in
            attributes[GenAI.operationName] = GenAI.chat
            attributes[GenAI.providerName] = GenAI.anthropic
            attributes[GenAI.system] = GenAI.anthropic
            attributes[GenAI.requestModel] = model
            attributes[GenAI.requestMaxTokens] = maxOutput
            attributes["router.attempt"] = number
        }
        return span
    }

    /// `classify and route`: the routing decision of one request (no I/O but the spend look-up).
    func routeSpan() -> any Span { startSpan("classify and route") }
}

extension Span {
    /// Ends a `queue wait` the pacer turned away (queue full, deadline out of reach, cancelled).
    func endRefused(_ reason: String) {
        attributes["router.refusal"] = reason
        attributes["error.type"] = "admission_refused"
        setStatus(SpanStatus(code: .error))
        end()
    }

    /// Ends an upstream attempt at its response head.
    func endAnswered(status: Int, upstreamRequestID: String?) {
        updateAttributes { attributes in
            attributes["http.response.status_code"] = status
            attributes["router.upstream_request_id"] = upstreamRequestID
            if status >= 400 { attributes["error.type"] = String(status) }
        }
        if status >= 500 { setStatus(SpanStatus(code: .error)) }
        end()
    }

    /// Ends an upstream attempt that got no response (`kind`: `connect_failed`, `timed_out` …).
    func endFailed(_ kind: String) {
        attributes["error.type"] = kind
        setStatus(SpanStatus(code: .error))
        end()
    }

    /// Sets what a routing decision says.
    func setDecision(_ decision: Decision) {
        updateAttributes { attributes in
            attributes[GenAI.requestModel] = decision.requestedModel
            attributes["router.model"] = decision.model
            attributes["router.task_type"] = decision.classification.taskType
            attributes["router.classifier_source"] = decision.classification.source.rawValue
            attributes["router.confidence"] = decision.classification.confidence
            attributes["router.tier"] = decision.tier.rawValue
            attributes["router.difficulty"] = decision.difficulty?.rawValue
            attributes["router.estimated_cost_nano_usd"] = decision.estimatedCost.nanoUSD
            attributes["router.baseline_model"] = decision.baselineModel
        }
    }
}

extension RouterTracer {
    /// `batch submit` or `batch poll`: one step of the batch scheduler, a root span (no request is waiting).
    func batchSpan(_ name: String, tasks: Int, batchID: String? = nil, upstream: String? = nil) -> any Span {
        let span = tracer.startSpan(name, context: .topLevel, ofKind: .internal)
        span.updateAttributes { attributes in
            attributes["router.batch.tasks"] = tasks
            attributes["router.batch.id"] = batchID
            attributes["router.batch.upstream_id"] = upstream
            attributes[GenAI.providerName] = GenAI.anthropic
        }
        return span
    }
}

extension Span {
    /// Ends a `batch submit`: the router's batch id when the API accepted it.
    func endSubmit(batchID: String?) {
        if let batchID {
            attributes["router.batch.id"] = batchID
        } else {
            attributes["error.type"] = "not_submitted"
        }
        end()
    }

    /// Ends a `batch poll`: whether the batch has ended (its results stored).
    func endPoll(ended: Bool) {
        attributes["router.batch.ended"] = ended
        end()
    }
}

/// Runs `body` with `span` (when there is one) as the current context, so spans started inside are its children.
func withSpanContext<T>(_ span: (any Span)?, _ body: () async -> T) async -> T {
    guard let span else { return await body() }
    return await InstrumentationContext.$current.withValue(span.context) { await body() }
}

extension UpstreamTransport {
    /// Sends `call` as a client span named `name` (`POST count_tokens`, `GET batches` …), from sending to the
    /// response head, with the span's `traceparent` sent upstream; with no tracer, exactly `send(call)`.
    func send(_ call: UpstreamCall, tracedAs name: String, by tracer: RouterTracer?) async throws -> UpstreamReply {
        guard let tracer else { return try await send(call) }
        let span = tracer.startSpan(name, kind: .client)
        var call = call
        span.updateAttributes { attributes in
            attributes["http.request.method"] = call.method
            attributes["url.path"] = String(call.path.prefix { $0 != "?" })
        }
        tracer.inject(span, into: &call.headers)
        do {
            let reply = try await send(call)
            span.endAnswered(status: reply.status, upstreamRequestID: reply.header("request-id"))
            return reply
        } catch {
            span.endFailed((error as? UpstreamTransportError)?.kind.rawValue ?? "other")
            throw error
        }
    }
}
