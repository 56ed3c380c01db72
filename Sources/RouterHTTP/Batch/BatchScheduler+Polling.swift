import ClaudeAPI
import Foundation
import Logging
import RouterCore
import Tracing
import UsageLedger

extension BatchScheduler {
    /// Polls running batches that are due; an ended one has its results stored, then it is marked ended.
    func pollDue(now: Int64, config: BatchConfig, report: inout TickReport) async {
        guard
            let running = await storeRun(
                &report, "running batches",
                { q throws(LedgerError) in
                    try q.batches(in: [.inProgress])
                })
        else { return }
        var polled = 0
        for batch in running where polled < Self.maxPollsPerTick {
            guard let upstream = batch.upstreamBatchID else { continue }
            let first = config.pollIntervalSeconds * 1000
            // Unknown here (a restart): poll at once.
            let schedule = polls.withLock { $0[batch.id] } ?? PollSchedule(nextMillis: now, intervalMillis: first)
            guard schedule.nextMillis <= now else { continue }
            polled += 1
            report.polled += 1
            let span = tracer?.batchSpan("batch poll", tasks: batch.taskCount, batchID: batch.id, upstream: upstream)
            let ended = await withSpanContext(span) {
                await poll(batch, upstream: upstream, now: now, report: &report)
            }
            span?.endPoll(ended: ended)
            polls.withLock { polls in
                if ended {
                    polls[batch.id] = nil
                } else {
                    // Back off: ×1.5 per poll, up to max_poll_interval_seconds.
                    let grown = max(1, min(schedule.intervalMillis * 3 / 2, config.maxPollIntervalSeconds * 1000))
                    polls[batch.id] = PollSchedule(nextMillis: now + grown, intervalMillis: grown)
                }
            }
        }
    }

    /// Asks the API about one batch; when it has ended, stores its results. Returns whether the batch is finished.
    func poll(_ batch: BatchRecord, upstream: String, now: Int64, report: inout TickReport) async -> Bool {
        guard let answer = await call("GET", "/v1/messages/batches/\(upstream)") else { return false }
        if answer.status == 404 {
            // Gone upstream (deleted, or its results aged out): what it held is retried.
            await settleRemaining(
                batch, failure: AttemptFailure(.notFound, "the batch \(upstream) no longer exists upstream"), now: now,
                report: &report)
            _ = await storeRun(
                &report, "fail batch",
                { q throws(LedgerError) in
                    try q.updateBatch(id: batch.id, state: .failed, endedMillis: now)
                })
            return true
        }
        guard (200..<300).contains(answer.status), let status = MessageBatch(json: try? JSONValue.parse(answer.body))
        else { return false }
        guard status.processingStatus == .ended else { return false }
        guard await storeResults(batch, upstream: upstream, resultsURL: status.resultsURL, now: now, report: &report)
        else { return false }
        let id = batch.id
        if await storeRun(
            &report, "end batch",
            { q throws(LedgerError) in
                try q.updateBatch(id: id, state: .ended, endedMillis: now)
            }) != nil
        {
            report.ended += 1
        }
        return true
    }

    /// Streams the results JSONL from the batch's `results_url` and stores each line against its task as it
    /// arrives. Returns false when the stream broke or the URL was refused (the batch stays in progress; the next
    /// poll reads the results again and stored ones are skipped).
    func storeResults(
        _ batch: BatchRecord, upstream: String, resultsURL: String?, now: Int64, report: inout TickReport
    ) async -> Bool {
        let batchID = batch.id
        // The API prices a batch request when the batch is created, not when its results are read.
        let billedAt = batch.submittedMillis ?? batch.createdMillis
        let path: String
        switch ResultsLocation.resolve(resultsURL: resultsURL, upstreamBaseURL: upstreamBaseURL, upstreamID: upstream) {
        case .path(let found):
            path = found
        case .refused(let why):
            // The transport adds the API key to every call: a URL elsewhere is never fetched, whatever it says.
            report.resultsRefused += 1
            logger.warning(
                "refused to fetch batch results: the API key is sent only to the configured upstream",
                metadata: ["batch": "\(batchID)", "upstream": "\(upstream)", "reason": "\(why)"])
            if batch.note != why {
                _ = await storeRun(
                    &report, "note batch", { q throws(LedgerError) in try q.noteBatch(id: batchID, note: why) })
            }
            return false
        }
        guard
            let open = await storeRun(
                &report, "batch tasks",
                { q throws(LedgerError) in
                    try q.submittedTasks(inBatch: batchID)
                })
        else { return false }
        var byCustomID: [String: DeferredTask] = [:]
        for task in open { byCustomID[task.customID ?? task.id] = task }
        // Traced: a client span over the whole read of the results, its `traceparent` sent upstream.
        let resultsCall = UpstreamCall(method: "GET", path: path, headers: Self.apiHeaders)
        do {
            let read = try await send(resultsCall, tracedAs: "GET batch results") { reply in
                guard (200..<300).contains(reply.status) else {
                    _ = try? await reply.collectBody(upTo: 1 << 20)
                    return false
                }
                var buffer: [UInt8] = []
                var start = 0
                for try await chunk in reply.body {
                    buffer += chunk
                    while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                        await storeLine(
                            buffer[start..<newline], batchID: batchID, tasks: &byCustomID, now: now,
                            billedAt: billedAt, report: &report)
                        start = newline + 1
                    }
                    // Keep only the unfinished line: memory stays one line, not the whole file.
                    if start > 0 {
                        buffer.removeFirst(start)
                        start = 0
                    }
                }
                if !buffer.isEmpty {
                    await storeLine(
                        buffer[...], batchID: batchID, tasks: &byCustomID, now: now, billedAt: billedAt,
                        report: &report)
                }
                return true
            }
            guard read else { return false }
        } catch {
            logger.warning("reading batch results failed", metadata: ["batch": "\(batchID)", "error": "\(error)"])
            return false
        }
        for task in byCustomID.values.sorted(by: { $0.id < $1.id }) {
            await retryOrFail(
                task, batchID: batchID, failure: AttemptFailure(.api, "the batch returned no result for this request"),
                now: now, report: &report)
        }
        if batch.note != nil {
            _ = await storeRun(
                &report, "clear note", { q throws(LedgerError) in try q.noteBatch(id: batchID, note: nil) })
        }
        return true
    }

    func storeLine(
        _ line: ArraySlice<UInt8>, batchID: String, tasks: inout [String: DeferredTask], now: Int64,
        billedAt: Int64? = nil, report: inout TickReport
    ) async {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
        guard let result = try? BatchResult(line: line) else {
            report.errors += 1
            logger.warning("unreadable batch result line", metadata: ["batch": "\(batchID)"])
            return
        }
        // Lines for tasks not (or no longer) open in this batch are ignored: stored already, or not ours.
        guard let task = tasks.removeValue(forKey: result.customID) else { return }
        switch result.outcome {
        case .succeeded(let message):
            await storeSuccess(
                task, message: message, batchID: batchID, now: now, billedAt: billedAt ?? now, report: &report)
        case .errored(let error):
            await retryOrFail(
                task, batchID: batchID, failure: AttemptFailure(error.error.type, error.error.message), now: now,
                report: &report)
        case .expired:
            await retryOrFail(task, batchID: batchID, failure: .expired, now: now, report: &report)
        case .canceled:
            await retryOrFail(task, batchID: batchID, failure: .canceled, now: now, report: &report)
        case .unknown(let type):
            await retryOrFail(
                task, batchID: batchID, failure: AttemptFailure(.api, "unknown batch result type '\(type)'"), now: now,
                report: &report)
        }
    }

    /// Prices a succeeded result at the batch price and stores it with its ledger rows in one transaction: the
    /// request row (counting earlier failed attempts in `retries`), and an attempt row when there were several.
    ///
    /// The row is dated, and priced, at `billedAt` (when the batch was created upstream), as the API bills it.
    func storeSuccess(
        _ task: DeferredTask, message: Message, batchID: String, now: Int64, billedAt: Int64,
        report: inout TickReport
    ) async {
        let meta = TaskMeta(text: task.metaJSON)
        let policy = policies.current
        let model = policy.model(named: message.model) ?? policy.model(named: task.model)
        let baseline = policy.model(named: meta.routing.baselineModel) ?? model
        var row = self.row(for: task, kind: .request, status: 200, errorType: nil, now: now)
        row.timestampMillis = billedAt
        row.modelUsed = model?.id ?? task.model
        row.tier = model?.tier.rawValue ?? meta.routing.tier
        row.cacheBy = meta.cacheBy
        let day = Day(epochMillis: billedAt)
        let billable = Billable.of(message.usage, model: model, on: day)
        row.usage = billable.usage
        row.inferenceGeo = billable.geo ?? meta.inferenceGeo
        var impossible = billable.impossible
        if impossible == nil, let model, let baseline {
            do { try Pricing.price(&row, model: model, baseline: baseline, on: day) } catch { impossible = error.description }
        }
        if let impossible {
            logger.error(
                "a batch result reported a usage that cannot be billed; recorded with zero tokens and cost",
                metadata: ["task": "\(task.id)", "usage": "\(impossible)"])
            row.markImpossible()
        }
        var rows = [row]
        if task.attempts > 1 {
            var attempt = row
            attempt.kind = .attempt
            attempt.attempt = task.attempts
            attempt.retries = 0
            rows.append(attempt)
        }
        let text = String(decoding: JSONValue.object(message.raw).serialized(), as: UTF8.self)
        let stored = rows
        let costNano = row.cost.nanoUSD
        let id = task.id
        if await storeRun(
            &report, "store result",
            { q throws(LedgerError) in
                try q.complete(
                    taskID: id, batchID: batchID, state: .succeeded, resultJSON: text, costNano: costNano,
                    usage: stored)
            }) == true
        {
            report.succeeded += 1
            committed(stored)
            metrics?.recordUsage(
                model: row.modelUsed, taskType: row.taskType,
                client: policy.client(named: row.client) != nil ? row.client : "other", usage: row.usage,
                cost: row.cost)
        }
    }

    /// Every task still open in `batch` is retried or failed with `failure`.
    func settleRemaining(_ batch: BatchRecord, failure: AttemptFailure, now: Int64, report: inout TickReport) async {
        let batchID = batch.id
        guard
            let open = await storeRun(
                &report, "batch tasks",
                { q throws(LedgerError) in
                    try q.submittedTasks(inBatch: batchID)
                })
        else { return }
        for task in open { await retryOrFail(task, batchID: batchID, failure: failure, now: now, report: &report) }
    }
}
