import Foundation

extension NaiveBayesClassifier {
    /// The temperature minimising the log loss of held-out examples in a 3-fold split of `indices`.
    ///
    /// Falls back to 1 when there are too few examples per label to hold any out.
    package static func fitTemperature(
        corpus: NaiveBayesCorpus, indices: [Int], configuration: Configuration, seed: UInt64
    ) -> Double {
        let folds = 3
        var perLabel = [Int](repeating: 0, count: corpus.labels.count)
        for index in indices { perLabel[corpus.labelIndex[index]] += 1 }
        guard corpus.labels.count > 1, perLabel.allSatisfy({ $0 == 0 || $0 >= folds }) else { return 1 }
        let assignment = stratifiedFolds(corpus: corpus, indices: indices, folds: folds, seed: seed)
        var heldOut: [(scores: [Double], label: Int)] = []
        for fold in 0..<folds {
            let train = indices.filter { assignment[$0] != fold }
            let model = NaiveBayesModel(
                corpus: corpus, indices: train, smoothing: configuration.smoothing,
                evidenceCap: configuration.evidenceCap)
            for index in indices where assignment[index] == fold {
                heldOut.append(
                    (
                        model.scores(of: corpus.documents[index], weights: corpus.weights[index]),
                        corpus.labelIndex[index]
                    ))
            }
        }
        // A geometric grid from 0.5 to about 600 is plenty: the log loss is smooth and unimodal in T. Below 0.5
        // would make naive Bayes, already overconfident, sharper still; only tiny training sets ask for that.
        var bestTemperature = 1.0
        var bestLoss = Double.infinity
        var temperature = 0.5
        for _ in 0..<61 {
            var loss = 0.0
            for sample in heldOut {
                let top = sample.scores.max() ?? 0
                var sum = 0.0
                for score in sample.scores { sum += exp((score - top) / temperature) }
                loss -= (sample.scores[sample.label] - top) / temperature - log(sum)
            }
            if loss < bestLoss {
                bestLoss = loss
                bestTemperature = temperature
            }
            temperature *= 1.125
        }
        return bestTemperature
    }

    /// Fold number per corpus index (entries outside `indices` are -1): each label's examples shuffled with a
    /// seeded generator, then dealt round-robin, continuing the deal across labels so fold sizes stay even.
    package static func stratifiedFolds(corpus: NaiveBayesCorpus, indices: [Int], folds: Int, seed: UInt64) -> [Int] {
        var assignment = [Int](repeating: -1, count: corpus.documents.count)
        var generator = SplitMix64(seed: seed)
        var next = 0
        for label in corpus.labels.indices {
            var members = indices.filter { corpus.labelIndex[$0] == label }
            members.shuffle(using: &generator)
            for index in members {
                assignment[index] = next % folds
                next += 1
            }
        }
        return assignment
    }
}

/// SplitMix64: a tiny seedable generator, so cross-validation splits are the same on every machine and run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return FeatureHash.mix(state)
    }
}
