import Foundation
import Synchronization
import UpstreamCurl

/// Throughput and memory benchmark of `CurlHTTPClient` against a local server that answers at once.
///
/// Usage: `UpstreamBench REQUESTS CONCURRENCY URL [http1|h2|h2c] [post|get] [CA-FILE]`
/// (`h2`: HTTP/2 negotiated over TLS, trusting CA-FILE; `h2c`: cleartext HTTP/2 with prior knowledge).
/// Each request is a POST of a small Messages body with the headers the router sends (`get`: a GET with the same
/// headers and no body). Prints the rate and
/// resident memory every 100,000 requests, then the totals and the client's own CPU time per request (getrusage).
/// The server runs in another process (`Benchmarks/upstream-throughput/run.sh` starts nginx answering at once),
/// so the client's CPU is measured apart from the server's.
@main
struct UpstreamBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count >= 3, let total = Int(arguments[1]), let concurrency = Int(arguments[2]) else {
            print("usage: UpstreamBench REQUESTS CONCURRENCY URL [http1|h2|h2c] [post|get] [CA-FILE]")
            exit(2)
        }
        let url = arguments[3]
        let version: CurlHTTPClient.HTTPVersion =
            switch arguments.dropFirst(3).first {
            case "h2": .http2OverTLS
            case "h2c": .http2PriorKnowledge
            default: .http1
            }
        let post = arguments.dropFirst(4).first != "get"
        let configuration = CurlHTTPClient.Configuration(
            maxConnectionsPerHost: concurrency, httpVersion: version, caBundlePath: arguments.dropFirst(5).first)
        try await run(url: url, total: total, concurrency: concurrency, configuration: configuration, post: post)
    }

    static func run(
        url: String, total: Int, concurrency: Int, configuration: CurlHTTPClient.Configuration, post: Bool
    ) async throws {
        let client = CurlHTTPClient(configuration: configuration)
        let body = Array(
            #"{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"Say ok."}]}"#.utf8)
        let headers: [(name: String, value: String)] = [
            ("x-api-key", "sk-bench"), ("anthropic-version", "2023-06-01"), ("content-type", "application/json"),
        ]
        let clock = ContinuousClock()
        let cpuStart = cpuMicroseconds()
        let start = clock.now
        let progress = Progress(start: start)
        print(
            "requests=\(total) concurrency=\(concurrency) \(post ? "POST" : "GET") \(url)"
                + " rss_start=\(residentMegabytes()) MB")

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    let request =
                        post
                        ? UpstreamRequest(method: "POST", url: url, headers: headers, body: body)
                        : UpstreamRequest(url: url, headers: headers)
                    while progress.issued.add(1, ordering: .relaxed).newValue <= total {
                        do {
                            let response = try await client.execute(request)
                            let body = try await response.body.collect(upTo: 1 << 16)
                            if response.status != 200 || body.isEmpty {
                                if progress.failures.add(1, ordering: .relaxed).newValue <= 3 {
                                    print("failure: status \(response.status), \(body.count) body bytes")
                                }
                            }
                        } catch {
                            if progress.failures.add(1, ordering: .relaxed).newValue <= 3 { print("failure: \(error)") }
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
        let cpu = cpuMicroseconds() - cpuStart
        let metrics = client.metrics
        print(
            "total: \(total) requests in \(elapsed)  \(rate(total, elapsed)) req/s  failures=\(progress.failures.load(ordering: .relaxed))"
                + "  connections=\(metrics.connectionsOpened)  rss_end=\(residentMegabytes()) MB")
        print(
            "client CPU: \(cpu / 1_000_000).\(String(format: "%02d", cpu % 1_000_000 / 10_000)) s,"
                + " \(String(format: "%.1f", Double(cpu) / Double(total))) us per request")
        await client.shutdown()
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let micros = Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
        return micros == 0 ? 0 : count * 1_000_000 / micros
    }

    /// User plus system CPU time of this process so far, in microseconds.
    static func cpuMicroseconds() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
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
