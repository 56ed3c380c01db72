import ClaudeAPI
import Foundation
import PolicyYAML
import RouterCore

/// CPU time of one routing decision per request shape, in process: what the router does for a request between
/// decoding its body and sending it (features, classification, difficulty, model, cache plan), without HTTP.
///
///     swift run -c release --scratch-path .build-release RouteBench [--policies DIR] [--runs N] [--ms-per-run N]
///
/// For each body it decodes the Messages request once (decoding is outside the timed loop), then runs `RouteCall`
/// (this commit's routing, see RouteCall.swift) in runs of about `--ms-per-run` milliseconds of this thread's CPU
/// time, and prints the median CPU µs per call over `--runs` runs, one tab-separated line per shape:
/// `shape <TAB> µs <TAB> model`. `Benchmarks/route-bench/compare.sh` builds it at an older commit with that
/// commit's `RouteCall` and compares the two in one run.
@main
struct RouteBench {
    static func main() throws {
        var policies = "policies"
        var runs = 11
        var msPerRun = 60.0
        var args = CommandLine.arguments.dropFirst()
        while let arg = args.popFirst() {
            switch arg {
            case "--policies": policies = args.popFirst() ?? policies
            case "--runs": runs = max(1, Int(args.popFirst() ?? "") ?? runs)
            case "--ms-per-run": msPerRun = max(1, Double(args.popFirst() ?? "") ?? msPerRun)
            default:
                FileHandle.standardError.write(Data("unknown argument \(arg)\n".utf8))
                exit(2)
            }
        }
        let policy = try PolicyLoader.load(directory: policies)
        var call = RouteCall(policy: policy)
        let nowMillis: Int64 = 1_796_000_000_000  // 2026-12-01, fixed: prices and budget periods do not move
        for (name, json) in shapes {
            let request = try MessagesRequest(bytes: Array(json.utf8))
            var sink = 0
            // Calibrate: how many calls fill one run.
            var calls = 16
            for _ in 0..<20 {
                let start = cpuNanoseconds()
                for _ in 0..<calls { sink &+= call(request, nowMillis: nowMillis).count }
                let spent = Double(cpuNanoseconds() - start) / 1e6
                if spent >= msPerRun / 4 { calls = max(1, Int(Double(calls) * msPerRun / max(spent, 0.001))); break }
                calls *= 4
            }
            var perCall: [Double] = []
            for _ in 0..<runs {
                let start = cpuNanoseconds()
                for _ in 0..<calls { sink &+= call(request, nowMillis: nowMillis).count }
                perCall.append(Double(cpuNanoseconds() - start) / 1_000 / Double(calls))
            }
            perCall.sort()
            let model = call(request, nowMillis: nowMillis)
            print("\(name)\t\(String(format: "%.2f", perCall[perCall.count / 2]))\t\(model)\t\(sink > 0 ? "" : "-")")
        }
    }

    /// This thread's CPU time: the wall clock on a shared machine measures the scheduler.
    static func cpuNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The request bodies, as clients send them.
    static var shapes: [(String, String)] {
        // The router-overhead benchmark's 1.8 KB filler (Benchmarks/router-overhead/post*.lua).
        let filler = String(
            repeating: "The quarterly report lists revenue, churn and pipeline figures per region. ", count: 22)
        let unit =
            "Refactor this function to use async/await and add error handling:\\n"
            + "func load(id: String, completion: @escaping (Result<User, Error>) -> Void) {\\n"
            + "    session.dataTask(with: url(for: id)) { data, _, error in completion(.success(decode(data))) }.resume()\\n}\\n"
        var code = ""
        while code.utf8.count < 2_048 { code += unit }
        return [
            (
                "short chat, 3 turns, auto",
                #"{"model":"auto","max_tokens":512,"system":"You are a friendly assistant.","messages":["#
                    + #"{"role":"user","content":"Hi! Can you help me plan a relaxing weekend?"},"#
                    + #"{"role":"assistant","content":"Of course. Do you prefer staying in or going out?"},"#
                    + #"{"role":"user","content":"Going out, but nothing too busy."}]}"#
            ),
            (
                "rule matches, 1.8 KB, auto",
                #"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"Classify the tone of this text as formal or informal: "#
                    + filler + #""}]}"#
            ),
            (
                "no rule matches, 1.8 KB, auto",
                #"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"What stands out in these figures, and what should the board ask next? "#
                    + filler + #""}]}"#
            ),
            (
                "code, 2 KB, auto",
                #"{"model":"auto","max_tokens":4096,"messages":[{"role":"user","content":""# + code + #""}]}"#
            ),
            (
                "explicit model, 1.8 KB",
                #"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Classify the tone of this text as formal or informal: "#
                    + filler + #""}]}"#
            ),
        ]
    }
}
