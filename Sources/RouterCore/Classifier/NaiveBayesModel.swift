import Foundation

/// Training examples turned into dense feature ids once, so cross-validation can retrain on subsets cheaply.
package struct NaiveBayesCorpus: Sendable {
    /// Labels in first-seen order; `labelIndex` points into it.
    package var labels: [String]
    /// Per example: the dense ids of its feature occurrences (repeats included).
    package var documents: [[Int32]]
    /// Per example: the weight of each occurrence in `documents` (instruction or body).
    package var weights: [[Double]]
    /// Per example: index into `labels`.
    package var labelIndex: [Int]
    var vocabulary: FeatureVocabulary

    package init(examples: [TrainingExample], configuration: NaiveBayesClassifier.Configuration) {
        let features = configuration.features
        labels = []
        var labelIDs: [String: Int] = [:]
        vocabulary = FeatureVocabulary(capacity: max(1024, examples.count * 64))
        documents = []
        weights = []
        labelIndex = []
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
            var hashes: [UInt64] = []
            var documentWeights: [Double] = []
            features.withBytes(of: example.text) { bytes in
                features.forEachFeature(in: bytes) { hash, span in
                    hashes.append(hash)
                    documentWeights.append(configuration.weight(at: span.start, length: bytes.count))
                }
            }
            documents.append(vocabulary.insert(contentsOf: hashes))
            weights.append(documentWeights)
            labelIndex.append(label)
        }
    }
}

/// Multinomial naive Bayes over a corpus subset: log priors and per-feature log likelihoods in one flat array.
package struct NaiveBayesModel: Sendable {
    let labelCount: Int
    let logPriors: [Double]
    /// `logLikelihoods[feature * labelCount + label]`, feature-major so one feature's labels share a cache line.
    /// `Float` halves the table (a few hundred examples give ~30k features): classification is bound by its cache
    /// misses, and 24 bits of mantissa are far finer than the differences that decide a label.
    let logLikelihoods: [Float]
    /// Features absent from the training subset are unknown and ignored, as unseen words are.
    let known: [Bool]
    let evidenceCap: Double

    /// Trains on the documents at `indices` of `corpus`.
    package init(corpus: NaiveBayesCorpus, indices: [Int], smoothing: Double, evidenceCap: Double) {
        let labelCount = corpus.labels.count
        let featureCount = corpus.vocabulary.count
        var counts = [Double](repeating: 0, count: featureCount * labelCount)
        var totals = [Double](repeating: 0, count: labelCount)
        var documentsPerLabel = [Int](repeating: 0, count: labelCount)
        var known = [Bool](repeating: false, count: featureCount)
        var knownCount = 0
        // Buffer pointers rather than array subscripts: this runs at every policy load, and in a debug build
        // (tests, `swift run`) array subscripts in a loop this hot cost several times more.
        counts.withUnsafeMutableBufferPointer { counts in
            known.withUnsafeMutableBufferPointer { known in
                for index in indices {
                    let label = corpus.labelIndex[index]
                    documentsPerLabel[label] += 1
                    let occurrenceWeights = corpus.weights[index]
                    corpus.documents[index].withUnsafeBufferPointer { document in
                        guard !document.isEmpty else { return }
                        // Each occurrence weighs at most 1, and a document at most `evidenceCap` in total: a 5 KB
                        // paste must not drown the short prompts of its label.
                        let total = occurrenceWeights.reduce(0, +)
                        let scale = min(1, evidenceCap / total)
                        occurrenceWeights.withUnsafeBufferPointer { occurrenceWeights in
                            for position in 0..<document.count {
                                let feature = Int(document[position])
                                counts[feature &* labelCount &+ label] += scale * occurrenceWeights[position]
                                if !known[feature] {
                                    known[feature] = true
                                    knownCount += 1
                                }
                            }
                        }
                        totals[label] += scale * total
                    }
                }
            }
        }
        let vocabularySize = Double(max(1, knownCount))
        let denominators = totals.map { log($0 + smoothing * vocabularySize) }
        // Most (feature, label) counts are zero: their log likelihood is the same per label, computed once.
        let unseen = denominators.map { log(smoothing) - $0 }
        var logLikelihoods = [Float](repeating: 0, count: featureCount * labelCount)
        logLikelihoods.withUnsafeMutableBufferPointer { logLikelihoods in
            counts.withUnsafeBufferPointer { counts in
                known.withUnsafeBufferPointer { known in
                    for feature in 0..<featureCount where known[feature] {
                        let base = feature &* labelCount
                        for label in 0..<labelCount {
                            let count = counts[base &+ label]
                            logLikelihoods[base &+ label] = Float(
                                count == 0 ? unseen[label] : log(count + smoothing) - denominators[label])
                        }
                    }
                }
            }
        }
        let documentCount = Double(indices.count)
        self.labelCount = labelCount
        self.logPriors = documentsPerLabel.map { log((Double($0) + 1) / (documentCount + Double(labelCount))) }
        self.logLikelihoods = logLikelihoods
        self.known = known
        self.evidenceCap = evidenceCap
    }

    /// Unnormalised log posteriors (before temperature) of a document given as dense ids and their weights;
    /// unknown ids are skipped.
    package func scores(of ids: [Int32], weights occurrenceWeights: [Double]) -> [Double] {
        var sums = [Double](repeating: 0, count: labelCount)
        var seen = 0.0
        sums.withUnsafeMutableBufferPointer { sums in
            logLikelihoods.withUnsafeBufferPointer { weights in
                known.withUnsafeBufferPointer { known in
                    for position in ids.indices {
                        let id = ids[position]
                        guard id >= 0 && known[Int(id)] else { continue }
                        let weight = occurrenceWeights[position]
                        seen += weight
                        let base = Int(id) &* labelCount
                        for label in 0..<labelCount { sums[label] += weight * Double(weights[base &+ label]) }
                    }
                }
            }
        }
        return combine(sums, seen: seen)
    }

    /// Priors plus the log-likelihood sums, the sums scaled down past `evidenceCap` occurrences.
    @inline(__always)
    func combine(_ sums: [Double], seen: Double) -> [Double] {
        let scale = seen > 0 ? min(1, evidenceCap / seen) : 0
        var result = logPriors
        for label in 0..<labelCount { result[label] += sums[label] * scale }
        return result
    }

    /// Softmax of `scores / temperature`, computed stably.
    package static func probabilities(_ scores: [Double], temperature: Double) -> [Double] {
        let top = scores.max() ?? 0
        let exps = scores.map { exp(($0 - top) / temperature) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
