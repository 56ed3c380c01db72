import NIOCore
import Hummingbird
import Logging
import HTTPTypes
import ClaudeAPI
import RouterCore

/// The service's counters for `/metrics`. (Placeholder until the Prometheus registry lands.)
final class ServiceMetrics: Sendable {
    struct State {
        var requests: [String: Int] = [:]
        var errors: [String: Int] = [:]
    }
    let state = MutexBox(State())

    func routerError(type: String) { state.withLock { $0.errors[type, default: 0] += 1 } }
    func observe(_ row: UsageRecord, overheadMillis: Int) {
        state.withLock { $0.requests[row.modelUsed, default: 0] += 1 }
    }
    func render(extra: String = "") -> String {
        state.withLock { s in
            var out = "# TYPE claude_router_requests_total counter\n"
            for (model, n) in s.requests.sorted(by: { $0.key < $1.key }) {
                out += "claude_router_requests_total{model=\"\(model)\"} \(n)\n"
            }
            out += "# TYPE claude_router_router_errors_total counter\n"
            for (type, n) in s.errors.sorted(by: { $0.key < $1.key }) {
                out += "claude_router_router_errors_total{type=\"\(type)\"} \(n)\n"
            }
            return out + extra
        }
    }
}
