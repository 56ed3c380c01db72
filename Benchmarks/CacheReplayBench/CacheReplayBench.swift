import Foundation
import RouterCore

/// Replays a Mooncake-format trace through every caching strategy and prints the input cost of each.
///
/// Usage: `swift run -c release CacheReplayBench TRACE.jsonl [--input-price USD_PER_MTOK] [--min-tokens N]
/// [--readable-delay-ms N] [--capacity N] [--half-life-s N]`. Defaults: Sonnet 4.6 ($3/MTok input, 1,024-token
/// minimum), entries readable 1 s after their request starts, the planner's default policy.
@main
struct CacheReplayBench {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
            return value
        }
        let price = Money(dollars: option("--input-price") ?? "3") ?? Money(nanoUSD: 3_000_000_000)
        let minTokens = Int(option("--min-tokens") ?? "") ?? 1_024
        let delay = Int64(option("--readable-delay-ms") ?? "") ?? 1_000
        var policy = CachePolicy()
        if let capacity = Int(option("--capacity") ?? "") { policy.tableCapacity = capacity }
        if let halfLife = Int(option("--half-life-s") ?? "") { policy.halfLifeSeconds = halfLife }
        guard let path = arguments.first else {
            FileHandle.standardError.write(Data("usage: CacheReplayBench TRACE.jsonl [options]\n".utf8))
            exit(2)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let trace = try TraceRequest.parseJSONL(text).enumerated()
            .sorted { ($0.element.timestampMillis, $0.offset) < ($1.element.timestampMillis, $1.offset) }.map(\.element)
        let profile = CacheModelProfile(model: "bench-model", minCacheableTokens: minTokens, inputPerMTok: price)
        let span = (trace.last?.timestampMillis ?? 0) - (trace.first?.timestampMillis ?? 0)
        print(
            "trace: \(path): \(trace.count) requests over \(span / 1000) s, \(trace.reduce(0) { $0 + $1.inputLength }) input tokens"
        )
        print(
            "model: $\(price.dollars(decimals: 2))/MTok input, minimum \(minTokens) tokens, entries readable after \(delay) ms"
        )
        print("")
        print(
            "| strategy | input cost | saved vs none | share of oracle's saving | requests with a read | tokens read | written 5m | written 1h | planning µs/request |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        var results: [CacheReplay.Result] = []
        for strategy in CacheReplay.Strategy.allCases {
            results.append(
                CacheReplay.run(trace, strategy: strategy, profile: profile, policy: policy, readableDelayMillis: delay)
            )
        }
        let none = results.first { $0.strategy == .none }!.inputCost
        let oracleSaving = none - results.first { $0.strategy == .oracle }!.inputCost
        for result in results {
            let saving = none - result.inputCost
            let share =
                oracleSaving.nanoUSD > 0
                ? "\(saving.nanoUSD * 1000 / oracleSaving.nanoUSD / 10).\(abs(saving.nanoUSD * 1000 / oracleSaving.nanoUSD % 10))%"
                : "-"
            let percent =
                none.nanoUSD > 0
                ? "\(saving.nanoUSD * 1000 / none.nanoUSD / 10).\(abs(saving.nanoUSD * 1000 / none.nanoUSD % 10))%"
                : "-"
            let micros =
                result.planningNanos == 0 ? "-" : String(result.planningNanos / UInt64(max(1, result.requests)) / 1000)
            print(
                "| \(result.strategy.rawValue) | $\(result.inputCost.dollars(decimals: 2)) | $\(saving.dollars(decimals: 2)) (\(percent)) | \(share) | \(result.requestsWithRead) | \(result.usage.cacheRead) | \(result.usage.cacheWrite5m) | \(result.usage.cacheWrite1h) | \(micros) |"
            )
            if result.rejected > 0 { print("  !! \(result.rejected) requests rejected by the cache model") }
        }
    }
}
