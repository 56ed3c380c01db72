import Foundation

extension RouterModel {
    /// One labelled request to learn from.
    public struct TrainingExample: Sendable {
        /// The request's features.
        public var features: RoutingFeatures
        /// The least difficulty that is enough (the label's least tier).
        public var difficulty: Difficulty
        /// The labelled task type.
        public var taskType: String

        /// Creates an example.
        public init(features: RoutingFeatures, difficulty: Difficulty, taskType: String) {
            self.features = features
            self.difficulty = difficulty
            self.taskType = taskType
        }
    }

    /// The training settings; `RouterModelTrainer` picks `l2` and `epochs` by cross-validation inside the training
    /// split.
    public struct Hyperparameters: Sendable, Hashable, CustomStringConvertible {
        /// log2 of the number of text buckets (14: 16,384 buckets, about 1.1 MB of weights in memory).
        public var bucketBits: Int
        /// L2 penalty per update.
        public var l2: Double
        /// Passes over the examples.
        public var epochs: Int
        /// AdaGrad's base step.
        public var learningRate: Double
        /// How much more a `hard` example weighs than the others, so hard requests are rarely sent down.
        public var hardWeight: Double
        /// Seeds the example order.
        public var seed: UInt64

        /// Creates settings; the defaults are the ones the shipped weights were trained with.
        public init(
            bucketBits: Int = 14, l2: Double = 1e-5, epochs: Int = 12, learningRate: Double = 0.3,
            hardWeight: Double = 1.5, seed: UInt64 = 42
        ) {
            self.bucketBits = bucketBits
            self.l2 = l2
            self.epochs = epochs
            self.learningRate = learningRate
            self.hardWeight = hardWeight
            self.seed = seed
        }

        public var description: String {
            "bucket_bits \(bucketBits), l2 \(l2), epochs \(epochs), learning_rate \(learningRate), hard_weight \(hardWeight)"
        }
    }

    /// The model's sparse input for `features`: (input index, value) with repeated buckets merged, as `predict`
    /// reads it.
    static func sparseInput(of features: RoutingFeatures, bucketBits: Int) -> [(index: Int32, value: Float)] {
        var input: [Int32: Float] = [:]
        for (part, system) in [(features.lastUserText, false), (features.systemText, true)] where !part.isEmpty {
            var buckets: [Int] = []
            text.withBytes(of: part) { bytes in
                text.forEachFeature(in: bytes) { hash, _ in
                    buckets.append(bucket(hash, system: system, bits: bucketBits))
                }
            }
            let scale = buckets.isEmpty ? 0 : 1 / Float(Double(buckets.count).squareRoot())
            for b in buckets { input[Int32(b), default: 0] += scale }
        }
        let base = Int32(1 << bucketBits)
        for (j, x) in RequestShape.values(of: features).enumerated() where x != 0 { input[base + Int32(j)] = x }
        return input.sorted { $0.key < $1.key }.map { (index: $0.key, value: $0.value) }
    }

    /// Trains a model on `examples` (deterministic for a given `hyperparameters.seed`).
    /// - Parameters:
    ///   - taskTypes: the task head's classes; examples of another task type train only the difficulty head.
    ///   - version: names the weights.
    public static func train(
        _ examples: [TrainingExample], taskTypes: [String], hyperparameters h: Hyperparameters = Hyperparameters(),
        version: String
    ) -> RouterModel {
        let inputs = examples.map { sparseInput(of: $0.features, bucketBits: h.bucketBits) }
        return train(inputs: inputs, examples: examples, taskTypes: taskTypes, h: h, version: version)
    }

    /// Trains on pre-computed sparse inputs (cross-validation computes them once).
    static func train(
        inputs: [[(index: Int32, value: Float)]], examples: [TrainingExample], taskTypes: [String],
        h: Hyperparameters, version: String
    ) -> RouterModel {
        let k = 3 + taskTypes.count
        let inputCount = (1 << h.bucketBits) + RequestShape.count
        var w = [Double](repeating: 0, count: inputCount * k)
        var g = [Double](repeating: 0, count: inputCount * k)
        let taskIndex = Dictionary(taskTypes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var order = Array(examples.indices)
        var rng = SplitMix64(seed: h.seed)
        var scores = [Double](repeating: 0, count: k)
        var gradient = [Double](repeating: 0, count: k)
        w.withUnsafeMutableBufferPointer { w in
            g.withUnsafeMutableBufferPointer { g in
                for _ in 0..<h.epochs {
                    for i in stride(from: order.count - 1, to: 0, by: -1) {
                        order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
                    }
                    for e in order {
                        let x = inputs[e]
                        for c in 0..<k { scores[c] = 0 }
                        for (index, value) in x {
                            let base = Int(index) * k
                            for c in 0..<k { scores[c] += w[base + c] * Double(value) }
                        }
                        let weight = examples[e].difficulty == .hard ? h.hardWeight : 1
                        let pd = softmax(scores[0..<3])
                        for c in 0..<3 {
                            gradient[c] = weight * (pd[c] - (c == examples[e].difficulty.index ? 1 : 0))
                        }
                        if let t = taskIndex[examples[e].taskType] {
                            let pt = softmax(scores[3...])
                            for c in 0..<taskTypes.count { gradient[3 + c] = pt[c] - (c == t ? 1 : 0) }
                        } else {
                            for c in 3..<k { gradient[c] = 0 }
                        }
                        for (index, value) in x {
                            let base = Int(index) * k
                            for c in 0..<k {
                                let step = gradient[c] * Double(value) + h.l2 * w[base + c]
                                guard step != 0 else { continue }
                                g[base + c] += step * step
                                w[base + c] -= h.learningRate * step / (g[base + c].squareRoot() + 1e-8)
                            }
                        }
                    }
                }
            }
        }
        return RouterModel(
            version: version, bucketBits: h.bucketBits, taskTypes: taskTypes, trainingExamples: examples.count,
            weights: w.map { Float($0) })
    }
}
