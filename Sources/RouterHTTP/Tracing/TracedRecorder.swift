import RouterCore
import Tracing

/// A recorder that makes every ledger write a span (`ledger write`) of the request that made it: how long the
/// row waited for the writer's queue, and what it says (kind, status, model, tokens, cost). Only installed when
/// tracing is on.
struct TracedRecorder: UsageRecorder {
    let recorder: any UsageRecorder
    let tracer: RouterTracer

    func record(_ row: UsageRecord) async {
        let span = tracer.startSpan("ledger write")
        span.updateAttributes { attributes in
            attributes["router.ledger.kind"] = row.kind.rawValue
            attributes["router.attempt"] = row.attempt
            attributes["router.request_id"] = row.requestID
            attributes["http.response.status_code"] = row.status
            attributes[GenAI.responseModel] = row.modelUsed
            attributes["router.cost_nano_usd"] = row.cost.nanoUSD
            GenAI.setUsage(row.usage, on: &attributes)
            if let error = row.errorType { attributes["error.type"] = error }
        }
        await recorder.record(row)
        span.end()
    }
}
