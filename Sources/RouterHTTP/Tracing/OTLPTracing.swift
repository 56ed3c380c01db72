import Foundation
public import Logging
import OTel
public import ServiceLifecycle

/// Traces over OTLP/HTTP, with swift-otel: when tracing is on, and the tracer and exporter service that send them.
///
/// Off by default. On when `--otel-endpoint` is given, or when the environment names a collector or an exporter
/// (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_TRACES_EXPORTER=otlp|console`),
/// unless `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. swift-otel reads the other standard variables
/// itself (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf`, the
/// default, or `http/json`), `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TIMEOUT`, `OTEL_TRACES_SAMPLER`,
/// `OTEL_BSP_*` …), and they take precedence over the flag. Only traces: logs and metrics keep their own outputs
/// (stderr, `/metrics`). gRPC is not built in (`OTLPHTTP` trait only).
public enum OTLPTracing {
    /// Whether tracing is on for `endpoint` (`--otel-endpoint`) and the process environment.
    public static func isEnabled(endpoint: String?, environment: [String: String]) -> Bool {
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return false }
        let exporter = environment["OTEL_TRACES_EXPORTER"]?.lowercased()
        if exporter == "none" { return false }
        return endpoint != nil || environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil
            || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil || exporter == "otlp" || exporter == "console"
    }

    /// Where spans are posted for a base `endpoint`: `…/v1/traces`, as for `OTEL_EXPORTER_OTLP_ENDPOINT`.
    public static func tracesURL(endpoint: String) -> String {
        endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
    }

    /// The tracer the service's spans go to, and the service that batches and exports them: run it in the
    /// service group (first, so it stops last and flushes what the others ended).
    ///
    /// - Parameters:
    ///   - endpoint: the collector's OTLP/HTTP base URL (`http://127.0.0.1:4318`); nil leaves it to the
    ///     environment.
    ///   - json: send `http/json` instead of `http/protobuf` (the environment's `OTEL_EXPORTER_OTLP_PROTOCOL` wins).
    ///   - serviceName: `service.name` of the spans' resource (`OTEL_SERVICE_NAME` wins).
    ///   - environment: the process environment swift-otel will read (it reads `ProcessInfo` itself): checked first
    ///     for settings it cannot honour.
    ///   - logger: swift-otel's own diagnostics (export failures) go here.
    /// - Throws: `TracingConfigurationError` for an `OTEL_*` setting swift-otel would stop the process on (the
    ///   `grpc` protocol, a propagator other than `tracecontext`, a Jaeger-remote or X-Ray sampler); swift-otel's
    ///   configuration errors (an endpoint that is not a URL).
    public static func make(
        endpoint: String?, json: Bool = false, serviceName: String = "claude-router",
        environment: [String: String] = [:], logger: Logger
    ) throws -> (tracer: RouterTracer, service: any Service) {
        // swift-otel stops the process (`fatalError`) on these; refuse them with a message instead.
        if let refusal = refusal(environment: environment) { throw TracingConfigurationError(message: refusal) }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.diagnosticLogger = .custom(logger)
        if json { configuration.traces.otlpExporter.protocol = .httpJSON }
        if let endpoint { configuration.traces.otlpExporter.endpoint = tracesURL(endpoint: endpoint) }
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return (RouterTracer(backend.factory), backend.service)
    }

    /// Why the environment's `OTEL_*` settings cannot be honoured, or nil: the ones swift-otel 1.6 has no code for
    /// and stops the process on.
    static func refusal(environment: [String: String]) -> String? {
        func value(_ key: String) -> String? {
            environment[key].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let protocolKey =
            value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") != nil
            ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL"
        if value(protocolKey) == "grpc" {
            return "\(protocolKey)=grpc is not built in: use http/protobuf (the default) or http/json"
        }
        if let sampler = value("OTEL_TRACES_SAMPLER"), ["jaeger_remote", "parentbased_jaeger_remote", "xray"].contains(sampler) {
            return "OTEL_TRACES_SAMPLER=\(sampler) is not supported by swift-otel"
        }
        for propagator in (value("OTEL_PROPAGATORS") ?? "").split(separator: ",") {
            let name = propagator.trimmingCharacters(in: .whitespaces)
            if !["", "tracecontext", "none"].contains(name) {
                return "OTEL_PROPAGATORS=\(name) is not supported by swift-otel: use tracecontext"
            }
        }
        return nil
    }
}

/// An `OTEL_*` setting tracing cannot start with.
public struct TracingConfigurationError: Error, CustomStringConvertible {
    /// What is wrong and what to use instead.
    public let message: String
    public var description: String { message }
}
