import Foundation
import PolicyYAML
import RouterCore
import RouterEvaluation

/// Rebuilds the shipped router model from the labelled corpus and reports it on the held-out split.
///
///     swift run -c release RouterModelTrainer [--labels PATH]... [--policies DIR] [--write] [--folds N]
///     swift run -c release RouterModelTrainer --bench     # CPU per prediction of the shipped model
///
/// 1. Reads every `*.jsonl` of each `--labels` path (default `Evaluation/routing/labels`), one entry per id.
/// 2. Picks the hyper-parameters by k-fold cross-validation *inside the train split* (difficulty log loss), and
///    prints the cross-validated acceptable rate, Opus-to-Haiku rate and cost at each `quality_bias`.
/// 3. Trains on the whole train split, quantises the weights, and with `--write` writes
///    `Sources/RouterCore/Difficulty/RouterModel+Builtin.swift`.
/// 4. Routes the held-out split with the policy and the quantised model, and prints the report and the curve.
///    Nothing of the held-out split is read before this step.
@main
struct RouterModelTrainer {
    static func main() throws {
        var labelPaths: [String] = []
        var policies = "policies"
        var write = false
        var folds = 5
        var args = CommandLine.arguments.dropFirst()
        while let arg = args.popFirst() {
            switch arg {
            case "--labels": labelPaths.append(args.popFirst() ?? "")
            case "--policies": policies = args.popFirst() ?? policies
            case "--write": write = true
            case "--folds": folds = Int(args.popFirst() ?? "") ?? folds
            case "--bench":
                try bench(policies: policies)
                return
            default:
                FileHandle.standardError.write(Data("unknown argument \(arg)\n".utf8))
                exit(2)
            }
        }
        if labelPaths.isEmpty { labelPaths = ["Evaluation/routing/labels"] }
        let labels = try LabelledRequest.load(paths: labelPaths)
        let train = labels.filter { $0.split == "train" }
        let heldout = labels.filter { $0.split == "heldout" }
        print("labels: \(labels.count) (train \(train.count), heldout \(heldout.count))")
        let basePolicy = try PolicyLoader.load(directory: policies)
        let taskTypes = basePolicy.taskTypes.keys.sorted()
        let examples = train.map {
            RouterModel.TrainingExample(
                features: $0.features, difficulty: Difficulty(naturalTier: $0.tier), taskType: $0.taskType)
        }

        // Cross-validation inside the train split.
        let foldOf = train.map { foldIndex(of: $0.id, folds: folds) }
        var grid: [RouterModel.Hyperparameters] = []
        for l2 in [1e-5, 1e-4, 1e-3] {
            for epochs in [8, 16] {
                for hardWeight in [1.0, 2.0] {
                    grid.append(RouterModel.Hyperparameters(l2: l2, epochs: epochs, hardWeight: hardWeight))
                }
            }
        }
        var best: (h: RouterModel.Hyperparameters, loss: Double, predictions: [RouterModelPrediction])?
        for h in grid {
            var predictions = [RouterModelPrediction?](repeating: nil, count: train.count)
            for f in 0..<folds {
                let inFold = train.indices.filter { foldOf[$0] == f }
                let model = RouterModel.train(
                    train.indices.filter { foldOf[$0] != f }.map { examples[$0] }, taskTypes: taskTypes,
                    hyperparameters: h, version: "cv")
                for i in inFold { predictions[i] = model.predict(examples[i].features) }
            }
            let p = predictions.map { $0! }
            let loss = zip(p, examples).map { -log(max(1e-9, $0.probabilities[$1.difficulty.index])) }
                .reduce(0, +) / Double(max(1, p.count))
            print(String(format: "cv %@: difficulty log loss %.4f", h.description, loss))
            if best == nil || loss < best!.loss { best = (h, loss, p) }
        }
        guard let best else { return }
        print("chosen: \(best.h)")
        print("cross-validated curve (train split, tier = natural tier of the difficulty):")
        print("  bias  acceptable  opus→haiku  cost/always-sonnet (by labelled tier weights 1:3:5)")
        for bias in stride(from: 0.3, through: 0.9, by: 0.05) {
            var ok = 0
            var opus = 0
            var opusHaiku = 0
            var cost = 0.0
            for (i, label) in train.enumerated() {
                let tier = best.predictions[i].difficulty(qualityBias: bias).naturalTier
                if label.acceptable.contains(tier) { ok += 1 }
                if label.tier == .opus {
                    opus += 1
                    if tier == .haiku { opusHaiku += 1 }
                }
                cost += [1.0, 3.0, 5.0][tier.rank] / 3
            }
            print(
                String(
                    format: "  %.2f  %.1f%%      %d/%d        %.3f", bias, 100 * Double(ok) / Double(train.count),
                    opusHaiku, opus, cost / Double(train.count)))
        }

        // The final model, trained on the whole train split, as it ships.
        let version = "router-model-1 (\(train.count) train requests; \(best.h))"
        let trained = RouterModel.train(examples, taskTypes: taskTypes, hyperparameters: best.h, version: version)
        let artifact = RouterModelArtifact(model: trained)
        guard let shipped = artifact.model() else { fatalError("the artifact does not decode") }
        if write {
            let path = "Sources/RouterCore/Difficulty/RouterModel+Builtin.swift"
            try artifact.swiftSource(command: "swift run -c release RouterModelTrainer --write")
                .write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
        }

        // The held-out split, untouched until here.
        var policy = basePolicy
        policy.routerModel = shipped
        let day = Day(iso: "2026-12-01")!
        let report = RoutingEvaluation.evaluate(heldout, policy: policy, day: day)
        print("\nheld-out split, quality_bias \(policy.routing.qualityBias):")
        print(report.text(misroutes: 15))
        print("held-out curve:")
        print(
            "| quality_bias | acceptable | strict | under-served | over-served | opus→haiku | cost vs always-Sonnet "
                + "| everyday cost vs always-Sonnet |")
        print("|---|---|---|---|---|---|---|---|")
        for (bias, r) in RoutingEvaluation.curve(
            heldout, policy: policy, day: day, biases: Array(stride(from: 0.3, through: 0.9, by: 0.05)))
        {
            print(
                String(
                    format: "| %.2f | %.1f%% | %.1f%% | %d | %d | %d/%d | −%.1f%% | −%.1f%% |", bias,
                    100 * r.acceptableRate, 100 * r.strictAccuracy, r.underServed, r.overServed, r.opusToHaiku,
                    r.opusLabelled, 100 * r.saving(against: .sonnet),
                    100 * r.saving(against: .sonnet, everyday: true)))
        }
    }

    /// CPU time of the shipped model's prediction (and of a whole routing decision) per request, best of 5 runs
    /// of 20,000 calls, measured as this thread's CPU time (the wall clock on a shared machine measures the
    /// scheduler).
    static func bench(policies: String) throws {
        guard let model = RouterModel.builtin else { fatalError("no shipped router model") }
        let policy = try PolicyLoader.load(directory: policies)
        let unit =
            "Refactor this function to use async/await and add error handling:\n"
            + "func load(id: String, completion: @escaping (Result<User, Error>) -> Void) {\n"
            + "    session.dataTask(with: url(for: id)) { data, _, error in completion(.success(decode(data))) }.resume()\n}\n"
        var prompt = ""
        while prompt.utf8.count < 2_048 { prompt += unit }
        prompt = String(prompt.utf8.prefix(2_048))!
        let cases: [(String, RoutingFeatures)] = [
            ("2 KB prompt", RoutingFeatures(lastUserText: prompt, estimatedInputTokens: 600, maxTokens: 4096)),
            ("What is 2+2?", RoutingFeatures(lastUserText: "What is 2+2?", estimatedInputTokens: 10)),
        ]
        func cpuNanoseconds() -> UInt64 {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
        }
        let iterations = 20_000
        for (name, features) in cases {
            var sink = 0
            var bestDifficultyOnly = UInt64.max
            for _ in 0..<5 {
                let start = cpuNanoseconds()
                for _ in 0..<iterations { sink &+= model.predict(features, taskHead: false).harderFeatures.count }
                bestDifficultyOnly = min(bestDifficultyOnly, (cpuNanoseconds() - start) / UInt64(iterations))
            }
            print("\(name): predict without the task head \(bestDifficultyOnly) ns CPU")
            var best = UInt64.max
            var bestRoute = UInt64.max
            var bestRouteWithout = UInt64.max
            var withoutModel = policy
            withoutModel.routerModel = nil
            let day = Day(iso: "2026-12-01")!
            for _ in 0..<5 {
                var start = cpuNanoseconds()
                for _ in 0..<iterations { sink &+= model.predict(features).harderFeatures.count }
                best = min(best, (cpuNanoseconds() - start) / UInt64(iterations))
                for (p, slot) in [(policy, 0), (withoutModel, 1)] {
                    start = cpuNanoseconds()
                    for _ in 0..<iterations {
                        sink &+= (try? Router.route(features, client: nil, policy: p, day: day))?.model.count ?? 0
                    }
                    let perCall = (cpuNanoseconds() - start) / UInt64(iterations)
                    if slot == 0 { bestRoute = min(bestRoute, perCall) } else { bestRouteWithout = min(bestRouteWithout, perCall) }
                }
            }
            let p = model.predict(features)
            print(
                "\(name): predict \(best) ns CPU; route() \(bestRoute) ns with the model, \(bestRouteWithout) ns with "
                    + "difficulty_model: off; difficulty "
                    + "\(p.difficulty(qualityBias: policy.routing.qualityBias)) p=\(p.probabilities.map { String(format: "%.3f", $0) }) "
                    + "task \(p.taskType) (\(sink > 0 ? "ok" : "-"))")
        }
        print("weights: \(model.weightBytes) bytes in memory; model \(model.version)")
    }

    /// A fold that depends on the id alone, so adding labels does not reshuffle the others.
    static func foldIndex(of id: String, folds: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(h % UInt64(folds))
    }
}
