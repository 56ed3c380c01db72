import ClaudeAPI
import Foundation

/// Times what the router does with every request body: parse, validate, and read the accessors it routes on.
///
/// The test target runs it once (debug build, figure printed, nothing asserted); docs/claude-api.md shows how to
/// run it optimised. Time is the thread's CPU time, not wall time, so a loaded machine (other builds sharing the
/// cores) slows the figure less.
enum RequestBenchmark {
    /// CPU time of the calling thread, in microseconds.
    static func cpuMicroseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
    }

    /// Mean microseconds per request over `iterations` runs (after a warm-up of a tenth as many).
    static func microsecondsPerRequest(body: [UInt8], iterations: Int) -> Double {
        var sink = 0
        func once() {
            guard let request = try? MessagesRequest(bytes: body) else { return }
            sink &+= request.lastUserText.utf8.count &+ request.systemText.utf8.count &+ request.turnCount
            sink &+= request.cacheBreakpoints.count &+ (request.hasTools ? 1 : 0) &+ (request.hasImages ? 1 : 0)
            sink &+= (request.hasDocuments ? 1 : 0) &+ request.model.utf8.count &+ request.maxTokens
        }
        for _ in 0..<max(1, iterations / 10) { once() }
        let start = cpuMicroseconds()
        for _ in 0..<iterations { once() }
        let elapsed = cpuMicroseconds() - start
        if sink == 42 { print("") }  // keeps the work observable so the optimiser cannot drop it
        return elapsed / Double(iterations)
    }

    /// Mean microseconds to serialise the request back to bytes.
    static func microsecondsPerSerialization(body: [UInt8], iterations: Int) -> Double {
        guard let request = try? MessagesRequest(bytes: body) else { return .nan }
        var sink = 0
        let start = cpuMicroseconds()
        for _ in 0..<iterations { sink &+= request.serialized().count }
        let elapsed = cpuMicroseconds() - start
        if sink == 42 { print("") }
        return elapsed / Double(iterations)
    }
}
