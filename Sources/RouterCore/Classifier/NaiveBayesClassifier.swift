import Foundation

/// A multinomial naive Bayes task classifier over word unigrams and bigrams, character n-grams and code symbols.
///
/// Trained from labelled examples when a policy loads (a few hundred examples train in milliseconds) and immutable
/// afterwards, so one value can serve every request concurrently. `classify(_:)` returns the most probable label, a
/// calibrated confidence and the n-grams that decided it. Features are hashed to 64 bits and mapped to dense ids in
/// a flat open-addressing table; unseen features are ignored, so any text is safe to classify.
///
/// The model: log P(label) + s · Σ w · log P(feature | label) over a prompt's feature occurrences, with Lidstone
/// smoothing; w is 1 in the instruction (first and last `instructionBytes`) and `bodyWeight` elsewhere, and
/// s = min(1, evidenceCap / Σ w). Confidence is the softmax of that score over the labels at a temperature fitted by
/// cross-validation on the training examples (see `Configuration`).
public struct NaiveBayesClassifier: Sendable {
    /// The labels it can predict, in the order first seen in the examples.
    public let labels: [String]
    /// The settings it was trained with.
    public let configuration: Configuration
    /// The softmax temperature in use (fitted or configured).
    public let temperature: Double
    /// Number of distinct features seen in training.
    public var featureCount: Int { vocabulary.count }

    private let vocabulary: FeatureVocabulary
    private let model: NaiveBayesModel

    /// Trains on `examples` with the default configuration.
    ///
    /// With no examples the classifier predicts the empty label with confidence 0: callers should treat that as
    /// "no statistical opinion" and fall back to their rules.
    public init(examples: [TrainingExample]) {
        self.init(examples: examples, configuration: Configuration())
    }

    /// Trains on `examples` with `configuration`.
    public init(examples: [TrainingExample], configuration: Configuration) {
        let corpus = NaiveBayesCorpus(examples: examples, configuration: configuration)
        let all = Array(corpus.documents.indices)
        self.init(
            corpus: corpus, indices: all, configuration: configuration,
            temperature: configuration.temperature
                ?? Self.fitTemperature(corpus: corpus, indices: all, configuration: configuration, seed: 0x5EED))
    }

    init(corpus: NaiveBayesCorpus, indices: [Int], configuration: Configuration, temperature: Double) {
        self.labels = corpus.labels
        self.configuration = configuration
        self.temperature = temperature
        self.vocabulary = corpus.vocabulary
        self.model = NaiveBayesModel(
            corpus: corpus, indices: indices, smoothing: configuration.smoothing,
            evidenceCap: configuration.evidenceCap)
    }

    /// Classifies one prompt: the most probable label, its probability, and the features that favoured it most.
    ///
    /// Deterministic: the same classifier and text always give the same prediction. Ties go to the label first
    /// seen in training. A text with no known feature gets the label with the highest prior.
    public func classify(_ text: String) -> TextPrediction {
        guard !labels.isEmpty else { return TextPrediction(label: "", confidence: 0, topFeatures: []) }
        let labelCount = labels.count
        let features = configuration.features
        return features.withBytes(of: text) { bytes in
            var occurrences: [(id: Int32, span: FeatureSpan)] = []
            occurrences.reserveCapacity(min(bytes.count, features.maxBytes) * 2)
            var sums = [Double](repeating: 0, count: labelCount)
            var seen = 0.0
            let configuration = configuration
            sums.withUnsafeMutableBufferPointer { sums in
                model.logLikelihoods.withUnsafeBufferPointer { weights in
                    features.forEachFeature(in: bytes) { hash, span in
                        let id = vocabulary.id(of: hash)
                        guard id >= 0 else { return }
                        occurrences.append((id, span))
                        let weight = configuration.weight(at: span.start, length: bytes.count)
                        seen += weight
                        let base = Int(id) &* labelCount
                        for label in 0..<labelCount { sums[label] += weight * Double(weights[base &+ label]) }
                    }
                }
            }
            let scores = model.combine(sums, seen: seen)
            let probabilities = NaiveBayesModel.probabilities(scores, temperature: temperature)
            var winner = 0
            var runnerUp = labelCount > 1 ? 1 : 0
            for label in 0..<labelCount where probabilities[label] > probabilities[winner] { winner = label }
            if labelCount > 1 {
                runnerUp = winner == 0 ? 1 : 0
                for label in 0..<labelCount where label != winner && probabilities[label] > probabilities[runnerUp] {
                    runnerUp = label
                }
            }
            let top = topFeatures(occurrences, winner: winner, runnerUp: runnerUp, bytes: bytes)
            // Clamp away from 0 so a prediction always carries a usable confidence in (0, 1].
            return TextPrediction(
                label: labels[winner], confidence: max(probabilities[winner], .leastNormalMagnitude), topFeatures: top)
        }
    }

    /// Every label's probability for `text`, for tools such as `policy explain`.
    public func probabilities(_ text: String) -> [(label: String, probability: Double)] {
        guard !labels.isEmpty else { return [] }
        let features = configuration.features
        var ids: [Int32] = []
        var weights: [Double] = []
        features.withBytes(of: text) { bytes in
            features.forEachFeature(in: bytes) { hash, span in
                ids.append(vocabulary.id(of: hash))
                weights.append(configuration.weight(at: span.start, length: bytes.count))
            }
        }
        let probabilities = NaiveBayesModel.probabilities(
            model.scores(of: ids, weights: weights), temperature: temperature)
        return zip(labels, probabilities).map { ($0, $1) }.sorted { $0.probability > $1.probability }
    }

    /// The words, bigrams and symbols of the text with the largest log-likelihood margin of the winner over the
    /// runner-up, strongest first.
    ///
    /// A word's character n-grams count toward the word itself (shown whole, as written in the text), so an operator
    /// reads `classify`, not five fragments of it. Occurrences arrive in text order with a word's n-grams right after
    /// it, so grouping is one linear pass; only the few winners are turned into strings.
    private func topFeatures(
        _ occurrences: [(id: Int32, span: FeatureSpan)], winner: Int, runnerUp: Int,
        bytes: UnsafeBufferPointer<UInt8>
    ) -> [String] {
        let limit = configuration.topFeatureCount
        let labelCount = labels.count
        guard limit > 0, labelCount > 1 else { return [] }
        // Keep more candidates than shown: the same word at several places yields one name after deduplication.
        let capacity = limit * 3
        var best: [(margin: Double, span: FeatureSpan)] = []
        best.reserveCapacity(capacity + 1)
        func offer(_ margin: Double, _ span: FeatureSpan) {
            guard margin > 0 else { return }
            if best.count == capacity, let last = best.last, margin <= last.margin { return }
            let position = best.firstIndex { margin > $0.margin } ?? best.count
            best.insert((margin, span), at: position)
            if best.count > capacity { best.removeLast() }
        }
        var group: (span: FeatureSpan, margin: Double)? = nil
        model.logLikelihoods.withUnsafeBufferPointer { weights in
            for occurrence in occurrences {
                let base = Int(occurrence.id) &* labelCount
                let margin = Double(weights[base &+ winner]) - Double(weights[base &+ runnerUp])
                switch occurrence.span.kind {
                case .word, .character:
                    if group?.span.start != occurrence.span.start {
                        if let finished = group { offer(finished.margin, finished.span) }
                        group = (
                            FeatureSpan(kind: .word, start: occurrence.span.start, end: occurrence.span.end), 0
                        )
                    }
                    group!.margin += margin
                case .bigram, .symbol, .indent:
                    offer(margin, occurrence.span)
                }
            }
        }
        if let finished = group { offer(finished.margin, finished.span) }
        var names: [String] = []
        for candidate in best where names.count < limit {
            let name = TextFeatures.name(of: candidate.span, in: bytes)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}
