import Foundation

/// Training examples turned into dense feature ids once, so cross-validation can retrain on subsets cheaply.
struct NaiveBayesCorpus: Sendable {
    /// Labels in first-seen order; `labelIndex` points into it.
    var labels: [String]
    /// Per example: the dense ids of its feature occurrences (repeats included).
    var documents: [[Int32]]
    /// Per example: index into `labels`.
    var labelIndex: [Int]
    var vocabulary: FeatureVocabulary

    init(examples: [TrainingExample], features: TextFeatures) {
        var labels: [String] = []
        var labelIDs: [String: Int] = [:]
        var vocabulary = FeatureVocabulary(capacity: max(1024, examples.count * 64))
        var documents: [[Int32]] = []
        var labelIndex: [Int] = []
        documents.reserveCapacity(examples.count)
        for example in examples {
            let label: Int
            if let known = labelIDs[example.label] {
                label = known
            } else {
                label = labels.count
                labelIDs[example.label] = label
                labels.append(example.label)
            }
            var ids: [Int32] = []
            features.withBytes(of: example.text) { bytes in
                features.forEachFeature(in: bytes) { hash, _ in ids.append(vocabulary.insert(hash)) }
            }
            documents.append(ids)
            labelIndex.append(label)
        }
        self.labels = labels
        self.documents = documents
        self.labelIndex = labelIndex
        self.vocabulary = vocabulary
    }
}

/// Multinomial naive Bayes over a corpus subset: log priors and per-feature log likelihoods in one flat array.
struct NaiveBayesModel: Sendable {
    let labelCount: Int
    let logPriors: [Double]
    /// `logLikelihoods[feature * labelCount + label]`, feature-major so one feature's labels share a cache line.
    let logLikelihoods: [Double]
    /// Features absent from the training subset are unknown and ignored, as unseen words are.
    let known: [Bool]
    let evidenceCap: Double

    /// Trains on the documents at `indices` of `corpus`.
    init(corpus: NaiveBayesCorpus, indices: [Int], smoothing: Double, evidenceCap: Double) {
        let labelCount = corpus.labels.count
        let featureCount = corpus.vocabulary.count
        var counts = [Double](repeating: 0, count: featureCount * labelCount)
        var totals = [Double](repeating: 0, count: labelCount)
        var documentsPerLabel = [Int](repeating: 0, count: labelCount)
        var known = [Bool](repeating: false, count: featureCount)
        for index in indices {
            let label = corpus.labelIndex[index]
            let document = corpus.documents[index]
            documentsPerLabel[label] += 1
            guard !document.isEmpty else { continue }
            // Each occurrence weighs at most 1, and a document at most `evidenceCap` in total: a 5 KB paste must
            // not drown the short prompts of its label.
            let weight = min(1, evidenceCap / Double(document.count))
            for id in document {
                counts[Int(id) * labelCount + label] += weight
                known[Int(id)] = true
            }
            totals[label] += weight * Double(document.count)
        }
        let vocabularySize = Double(max(1, known.lazy.filter { $0 }.count))
        let denominators = totals.map { log($0 + smoothing * vocabularySize) }
        var logLikelihoods = [Double](repeating: 0, count: featureCount * labelCount)
        for feature in 0..<featureCount where known[feature] {
            for label in 0..<labelCount {
                let slot = feature * labelCount + label
                logLikelihoods[slot] = log(counts[slot] + smoothing) - denominators[label]
            }
        }
        let documentCount = Double(indices.count)
        self.labelCount = labelCount
        self.logPriors = documentsPerLabel.map { log((Double($0) + 1) / (documentCount + Double(labelCount))) }
        self.logLikelihoods = logLikelihoods
        self.known = known
        self.evidenceCap = evidenceCap
    }

    /// Unnormalised log posteriors (before temperature) of a document given as dense ids; unknown ids are skipped.
    func scores(of ids: [Int32]) -> [Double] {
        var sums = [Double](repeating: 0, count: labelCount)
        var seen = 0
        for id in ids where id >= 0 && known[Int(id)] {
            seen += 1
            let base = Int(id) * labelCount
            for label in 0..<labelCount { sums[label] += logLikelihoods[base + label] }
        }
        return combine(sums, seen: seen)
    }

    /// Priors plus the log-likelihood sums, the sums scaled down past `evidenceCap` occurrences.
    @inline(__always)
    func combine(_ sums: [Double], seen: Int) -> [Double] {
        let scale = seen > 0 ? min(1, evidenceCap / Double(seen)) : 0
        var result = logPriors
        for label in 0..<labelCount { result[label] += sums[label] * scale }
        return result
    }

    /// Softmax of `scores / temperature`, computed stably.
    static func probabilities(_ scores: [Double], temperature: Double) -> [Double] {
        let top = scores.max() ?? 0
        let exps = scores.map { exp(($0 - top) / temperature) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
