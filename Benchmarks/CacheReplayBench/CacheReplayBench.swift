import ClaudeAPI
import Foundation
import RouterCore
import RouterEvaluation

/// Replays every generated traffic shape (and optionally Mooncake-format trace files) through every caching
/// strategy, and prints per trace what the planner saved against the oracles, tokens written and read, the
/// worst 5-minute loss against no caching, and planning CPU per request.
///
/// Usage: `swift run -c release CacheReplayBench [TRACE.jsonl ...] [--shapes chat,agent,...|none] [--seed N]
/// [--minutes N] [--input-price USD_PER_MTOK] [--min-tokens N] [--readable-delay-ms N] [--evict-after-s N]
/// [--estimate-scale X] [--real-min-tokens N] [--capacity N] [--half-life-s N] [--margin X] [--detail]`.
/// Defaults: every shape, seed 1, 60 minutes each, Sonnet 4.6 ($3/MTok input, 1,024-token minimum), entries
/// readable 1 s after their request starts, the planner's default policy.
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
        func flag(_ name: String) -> Bool {
            guard let index = arguments.firstIndex(of: name) else { return false }
            arguments.remove(at: index)
            return true
        }
        let price = Money(dollars: option("--input-price") ?? "3") ?? Money(nanoUSD: 3_000_000_000)
        let minTokens = Int(option("--min-tokens") ?? "") ?? 1_024
        var conditions = CacheReplay.Conditions()
        if let delay = Int64(option("--readable-delay-ms") ?? "") { conditions.readableDelayMillis = delay }
        if let evict = Int64(option("--evict-after-s") ?? "") { conditions.evictAfterMillis = evict * 1_000 }
        if let scale = Double(option("--estimate-scale") ?? "") { conditions.tokenEstimateScale = scale }
        if let real = Int(option("--real-min-tokens") ?? "") { conditions.realMinimumTokens = real }
        var policy = CachePolicy()
        if let capacity = Int(option("--capacity") ?? "") { policy.tableCapacity = capacity }
        if let halfLife = Int(option("--half-life-s") ?? "") { policy.halfLifeSeconds = halfLife }
        if let margin = Double(option("--margin") ?? "") { policy.speculativeMarginMilli = Int(margin * 1000) }
        let seed = UInt64(option("--seed") ?? "") ?? 1
        let minutes = Int64(option("--minutes") ?? "") ?? 60
        let shapeList = option("--shapes")
        let detail = flag("--detail")
        let shapes: [TrafficShape] =
            shapeList == "none"
            ? [] : shapeList.map { $0.split(separator: ",").compactMap { TrafficShape(rawValue: String($0)) } }
                ?? TrafficShape.allCases
        let profile = CacheModelProfile(model: "bench-model", minCacheableTokens: minTokens, inputPerMTok: price)
        print(
            "model: $\(price.dollars(decimals: 2))/MTok input, minimum \(minTokens) tokens; conditions: \(conditions)")
        print("")
        print(
            "| trace | tuned on | requests | reusable input | planner saves | share of oracle's saving | share of after-first-sighting oracle's | written 5m / 1h | read | worst 5-min loss vs none | planning CPU µs/request |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        var traces: [(name: String, tuned: Bool, trace: [TraceRequest])] = []
        for path in arguments {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let trace = try TraceRequest.parseJSONL(text).enumerated()
                .sorted { ($0.element.timestampMillis, $0.offset) < ($1.element.timestampMillis, $1.offset) }
                .map(\.element)
            traces.append(((path as NSString).lastPathComponent, true, trace))
        }
        for shape in shapes {
            traces.append((shape.rawValue, shape.tunedOn, shape.generate(seed: seed, durationMillis: minutes * 60_000)))
        }
        var details: [String] = []
        for (name, tuned, trace) in traces {
            let results = Dictionary(
                uniqueKeysWithValues: CacheReplay.Strategy.allCases.map {
                    ($0, CacheReplay.run(trace, strategy: $0, profile: profile, policy: policy, conditions: conditions))
                })
            let none = results[.none]!.inputCost
            let planner = results[.planner]!
            let saving = none - planner.inputCost
            func share(_ strategy: CacheReplay.Strategy) -> String {
                let ceiling = none - results[strategy]!.inputCost
                return ceiling.nanoUSD > 0 ? percent(saving.nanoUSD, ceiling.nanoUSD) : "- (ceiling saves nothing)"
            }
            let micros = Double(planner.planningNanos) / Double(max(1, planner.requests)) / 1000
            print(
                "| \(name) | \(tuned ? "yes" : "no") | \(trace.count) | \(percent(reusableTokens(trace), Int64(trace.reduce(0) { $0 + $1.inputLength }))) | $\(saving.dollars(decimals: 2)) (\(percent(saving.nanoUSD, none.nanoUSD)) of $\(none.dollars(decimals: 2))) | \(share(.oracle)) | \(share(.learningOracle)) | \(planner.usage.cacheWrite5m) / \(planner.usage.cacheWrite1h) | \(planner.usage.cacheRead) | $\(planner.worstWindowLoss.dollars(decimals: 2)) | \(String(format: "%.1f", micros)) |"
            )
            if detail {
                details.append("\n\(name):\n")
                details.append(
                    "| strategy | input cost | saved vs none | requests with a read | tokens read | written 5m | written 1h | worst 5-min loss |")
                details.append("|---|---|---|---|---|---|---|---|")
                for strategy in CacheReplay.Strategy.allCases {
                    let r = results[strategy]!
                    let saved = none - r.inputCost
                    details.append(
                        "| \(strategy.rawValue) | $\(r.inputCost.dollars(decimals: 2)) | $\(saved.dollars(decimals: 2)) (\(percent(saved.nanoUSD, none.nanoUSD))) | \(r.requestsWithRead) | \(r.usage.cacheRead) | \(r.usage.cacheWrite5m) | \(r.usage.cacheWrite1h) | $\(r.worstWindowLoss.dollars(decimals: 2)) |"
                    )
                    if r.rejected > 0 { details.append("  !! \(r.rejected) requests rejected by the cache model") }
                }
            }
        }
        for line in details { print(line) }
    }

    /// `part / whole` as a percentage with one decimal.
    static func percent(_ part: Int64, _ whole: Int64) -> String {
        guard whole != 0 else { return "-" }
        return String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    /// Input tokens in blocks whose prefix some earlier request carried.
    static func reusableTokens(_ trace: [TraceRequest]) -> Int64 {
        var seen: Set<UInt64> = []
        var total: Int64 = 0
        for request in trace {
            let hashes = request.prefixHashes
            for (index, hash) in hashes.enumerated() where seen.contains(hash) {
                total += Int64(request.blocks[index].tokens)
            }
            seen.formUnion(hashes)
        }
        return total
    }
}
