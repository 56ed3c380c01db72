public import Tracing

/// The tracer the service's spans go to, passed down from the executable (never the process-global
/// `InstrumentationSystem`, so tests can run several services with their own tracers in one process).
///
/// The service holds an optional one: with none (the default, tracing off) no span is started, no header is added
/// and nothing is allocated: each span site is one `nil` check.
///
/// Span names and attributes are listed in `docs/service.md` (Tracing). Attributes carry names, ids, counts and
/// money; never a key, a header value other than `traceparent`, or prompt text.
public struct RouterTracer: Sendable {
    /// The tracer itself (swift-otel's in the service; any `Tracer` in tests).
    public let tracer: any Tracer

    /// Wraps `tracer`.
    public init(_ tracer: any Tracer) { self.tracer = tracer }

    /// Starts a span under the task's current context (the request span, inside a request), or a root span.
    func startSpan(_ name: String, kind: SpanKind = .internal) -> any Span {
        tracer.startSpan(name, context: InstrumentationContext.current ?? .topLevel, ofKind: kind)
    }

    /// Adds `span`'s `traceparent` (and whatever else the tracer's propagators write) to upstream headers.
    func inject(_ span: any Span, into headers: inout [(name: String, value: String)]) {
        tracer.inject(span.context, into: &headers, using: PairInjector())
    }
}

/// Writes propagation headers into the upstream call's header list (lower-case names, as the upstream calls use).
struct PairInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [(name: String, value: String)]) {
        let name = key.lowercased()
        carrier.removeAll { $0.name.lowercased() == name }
        carrier.append((name, value))
    }
}
