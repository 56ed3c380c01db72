import Foundation
import Hummingbird
import NIOCore
import Synchronization
import UpstreamCurl

/// Throughput and memory benchmark of `CurlHTTPClient` against a local server that answers at once.
///
/// Usage: `swift run -c release UpstreamBench [requests] [concurrency] [url]`
/// (defaults: 1,000,000 requests, 64 concurrent, an in-process Hummingbird server answering `GET /ok`).
/// Prints the rate and resident memory every 100,000 requests, then the totals.
@main
struct UpstreamBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let total = arguments.first.flatMap { Int($0) } ?? 1_000_000
        let concurrency = arguments.dropFirst().first.flatMap { Int($0) } ?? 64
        let externalURL = arguments.dropFirst(2).first

        if let externalURL {
            try await run(url: externalURL, total: total, concurrency: concurrency)
            return
        }
        let router = Router()
        router.get("/ok") { _, _ in "ok" }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            try await run(url: "http://127.0.0.1:\(port)/ok", total: total, concurrency: concurrency)
            group.cancelAll()
        }
    }

    static func run(url: String, total: Int, concurrency: Int) async throws {
        let client = CurlHTTPClient(configuration: .init(maxConnectionsPerHost: concurrency))
        let clock = ContinuousClock()
        let start = clock.now
        let progress = Progress(start: start)
        print("requests=\(total) concurrency=\(concurrency) url=\(url) rss_start=\(residentMegabytes()) MB")

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    let request = UpstreamRequest(url: url)
                    while progress.issued.add(1, ordering: .relaxed).newValue <= total {
                        do {
                            let response = try await client.execute(request)
                            let body = try await response.body.collect(upTo: 1 << 16)
                            if response.status != 200 || body.isEmpty { progress.failures.add(1, ordering: .relaxed) }
                        } catch {
                            progress.failures.add(1, ordering: .relaxed)
                        }
                        let finished = progress.done.add(1, ordering: .relaxed).newValue
                        if finished % 100_000 == 0 {
                            let now = clock.now
                            let (since, count) = progress.lastMark.withLock { mark in
                                defer { mark = (now, finished) }
                                return (now - mark.instant, finished - mark.count)
                            }
                            print(
                                "\(finished) done  \(rate(count, since)) req/s  rss=\(residentMegabytes()) MB"
                                    + "  connections=\(client.metrics.connectionsOpened)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let metrics = client.metrics
        print(
            "total: \(total) requests in \(elapsed)  \(rate(total, elapsed)) req/s  failures=\(progress.failures.load(ordering: .relaxed))"
                + "  connections=\(metrics.connectionsOpened)  rss_end=\(residentMegabytes()) MB")
        await client.shutdown()
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let micros = Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
        return micros == 0 ? 0 : count * 1_000_000 / micros
    }

    /// VmRSS from /proc/self/status, in megabytes.
    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return -1 }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes / 1024
    }
}

/// Counters shared by the benchmark's workers (Atomic and Mutex are not copyable, so they live in a class).
final class Progress: Sendable {
    let issued = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let lastMark: Mutex<(instant: ContinuousClock.Instant, count: Int)>

    init(start: ContinuousClock.Instant) {
        lastMark = Mutex((instant: start, count: 0))
    }
}
