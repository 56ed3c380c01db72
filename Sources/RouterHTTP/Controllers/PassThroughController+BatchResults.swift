import ClaudeAPI
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RouterCore
import UsageLedger

extension PassThroughController {
    /// Results lines recorded in one transaction.
    static let resultsFlushLines = 256

    /// `GET /v1/messages/batches/{id}/results`: the client's batch's JSONL, streamed through from the upstream
    /// (read only from the configured upstream's origin, see `ResultsLocation`), one ledger row per result.
    ///
    /// The rows are written as the lines pass, exactly once per `custom_id` however often the results are read. If
    /// the client goes away mid-stream the rest is still read from the upstream and recorded (the API bills every
    /// result whether or not anyone reads it).
    func batchResults(_ id: String, _ context: BatchContext) async throws(RouterHTTPError) -> Response {
        let record = try await ownedBatch(id, context)
        let batch: MessageBatch
        switch try await upstreamBatch(record, "GET", context) {
        case .failed(let response): return response
        case .batch(let object, _): batch = MessageBatch(raw: object)
        }
        guard batch.processingStatus == .ended else {
            throw RouterHTTPError.invalid(
                "Message Batch \(id) has not yet ended; results are available once processing_status is 'ended'.")
        }
        let path: String
        switch ResultsLocation.resolve(
            resultsURL: batch.resultsURL, upstreamBaseURL: configuration.upstreamBaseURL,
            upstreamID: record.upstreamBatchID)
        {
        case .path(let found): path = found
        case .refused(let why):
            // The transport adds the API key: a results_url elsewhere is never fetched.
            logger.warning("refused to fetch client batch results", metadata: ["batch": "\(id)", "reason": "\(why)"])
            throw RouterHTTPError(.api, "The batch's results are not on the configured upstream", status: 502)
        }
        let reply = try await batchUpstream(UpstreamCall(method: "GET", path: path, headers: context.forwarded))
        guard (200..<300).contains(reply.status) else {
            return upstreamError(reply, try await collectReply(reply), context, record: record)
        }
        var headers = Self.passedHeaders(reply)
        headers[.routerRequestID] = context.requestID
        headers[.contentType] = reply.header("content-type") ?? "application/binary"
        let recorder = BatchResultsRecorder(controller: self, record: record, policy: context.policy, store: context.store)
        let stream = reply.body
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var clientGone = false
                var buffer: [UInt8] = []
                var pending: [BatchResult] = []
                do {
                    for try await chunk in stream {
                        if !clientGone {
                            do { try await writer.write(ByteBuffer(bytes: chunk)) } catch { clientGone = true }
                        }
                        buffer += chunk
                        var start = 0
                        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                            if let result = try? BatchResult(line: buffer[start..<newline]) { pending.append(result) }
                            start = newline + 1
                        }
                        // Only the unfinished line stays: memory is one line, not the file.
                        if start > 0 { buffer.removeFirst(start) }
                        if pending.count >= Self.resultsFlushLines {
                            await recorder.record(pending)
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                } catch {
                    // The upstream broke off: what arrived is still recorded; the client sees the stream end early.
                    await recorder.record(pending)
                    throw error
                }
                if let result = try? BatchResult(line: buffer) { pending.append(result) }
                await recorder.record(pending)
                if !clientGone { try await writer.finish(nil) }
            })
    }
}

/// Turns a client batch's result lines into ledger rows and commits them, each `custom_id` once.
struct BatchResultsRecorder: Sendable {
    let controller: PassThroughController
    let record: ClientBatch
    let policy: Policy
    let store: TaskStore

    /// Records `results` (those recorded before are skipped in the same transaction that marks the new ones).
    func record(_ results: [BatchResult]) async {
        guard !results.isEmpty else { return }
        let batchID = record.id
        let customIDs = results.map(\.customID)
        do {
            let metas = try await store.run { queue throws(LedgerError) in
                try queue.unrecordedItems(batchID: batchID, customIDs: customIDs)
            }
            guard !metas.isEmpty else { return }
            let now = controller.clock.nowMillis()
            var rows: [(customID: String, rows: [UsageRecord])] = []
            for result in results {
                guard let text = metas[result.customID], let meta = BatchItemMeta(text: text) else { continue }
                rows.append((result.customID, [row(result, meta: meta, now: now)]))
            }
            let batched = rows
            let inserted = try await store.run { queue throws(LedgerError) in
                try queue.recordClientBatchResults(batchID: batchID, batched)
            }
            // The queue's commit put their cost in the spend totals (its accounting is the ledger): the batch's budget
            // hold ends.
            controller.releaseClientBatch(batchID)
            for row in inserted where row.status == 200 {
                controller.metrics.families.recordUsage(
                    model: row.modelUsed, taskType: row.taskType, client: row.client, usage: row.usage, cost: row.cost)
            }
        } catch {
            controller.logger.error(
                "could not record client batch results", metadata: ["batch": "\(batchID)", "error": "\(error)"])
        }
    }

    /// The ledger row of one result: mode `batch`, priced at batch price on the day the batch was created; a result
    /// that did not succeed has zero tokens and cost (the API bills only succeeded requests).
    func row(_ result: BatchResult, meta: BatchItemMeta, now: Int64) -> UsageRecord {
        var status = 200
        var errorType: String?
        var message: Message?
        switch result.outcome {
        case .succeeded(let m): message = m
        case .errored(let e):
            errorType = e.error.type.rawValue
            status = e.error.type.httpStatus
        case .expired: (status, errorType) = (0, "batch_expired")
        case .canceled: (status, errorType) = (0, "batch_canceled")
        case .unknown(let type): (status, errorType) = (0, type)
        }
        let model = message.flatMap { policy.model(named: $0.model) } ?? policy.model(named: meta.model)
        var row = UsageRecord(
            kind: .request, timestampMillis: now, requestID: meta.requestID, client: record.client,
            taskType: meta.taskType, confidenceMillis: meta.routing.confidenceMillis,
            classifierReason: meta.routing.classifierReason, modelRequested: meta.routing.requestedModel,
            modelUsed: model?.id ?? meta.model, tier: model?.tier.rawValue ?? meta.routing.tier,
            mode: .batch, status: status, errorType: errorType, policyHash: meta.routing.policyHash,
            latencyMillis: Int(clamping: max(0, now - record.createdMillis)), deferral: "client_batch")
        if let message {
            row.usage = Billable.tokenUsage(message.usage)
            if let model {
                let baseline = policy.model(named: meta.routing.baselineModel) ?? model
                do {
                    try Pricing.price(&row, model: model, baseline: baseline, on: Day(epochMillis: record.createdMillis))
                } catch {
                    controller.logger.error(
                        "the upstream reported a batch result usage that cannot be billed; recorded with zero tokens and cost",
                        metadata: ["request_id": "\(meta.requestID)", "usage": "\(error.description)"])
                    row.markImpossible()
                }
            }
        }
        return row
    }
}
