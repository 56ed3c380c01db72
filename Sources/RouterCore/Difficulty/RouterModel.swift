import Foundation

/// The router's learned model: from a request's text and shape to its difficulty (the least tier that is enough)
/// and its task type, with calibrated probabilities and the features that decided.
///
/// Two softmax (multinomial logistic) heads share one sparse input: the words, word pairs and symbol runs of the
/// last user turn and of the system prompt (hashed into `2^bucketBits` buckets, each text scaled by 1/√occurrences
/// so a long paste does not shout), plus `RequestShape`'s size, turn, tool and `max_tokens` bins. Weights are
/// stored bucket-major (`weights[input * classCount + class]`), classes 0…2 being the difficulties and the rest
/// the task types, so one input touches one short run of floats.
///
/// The shipped weights are `RouterModel.builtin`, rebuilt from the labelled corpus by
/// `swift run -c release RouterModelTrainer` (docs/routing.md). A model is immutable and `Sendable`.
public struct RouterModel: Sendable {
    /// Names the weights: the trainer's version string (date, corpus size).
    public let version: String
    /// log2 of the number of hashed text buckets.
    public let bucketBits: Int
    /// The task types of the task head, in class order.
    public let taskTypes: [String]
    /// How many labelled requests trained the weights.
    public let trainingExamples: Int
    /// `weights[input * classCount + class]`: text buckets first, then the shape features (`inputCount * classCount`
    /// of them).
    let weights: [Float]

    /// The text features the model reads: words, word pairs and symbols (no character n-grams, which would cost
    /// five times the table look-ups for little gain on whole requests).
    static let text = TextFeatures(characterGramLengths: nil)
    /// Salt that separates system-prompt features from user-turn features with the same words.
    static let systemSalt: UInt64 = 0x5157_4E53_5953_5445

    /// The memory the weights take (4 bytes per weight).
    public var weightBytes: Int { weights.count * MemoryLayout<Float>.stride }

    /// The number of classes: three difficulties, then the task types.
    var classCount: Int { 3 + taskTypes.count }
    /// The number of inputs: text buckets, then shape features.
    var inputCount: Int { (1 << bucketBits) + RequestShape.count }

    /// The bucket of a text feature's hash among `2^bits`; system-prompt features are salted into other buckets.
    @inline(__always)
    static func bucket(_ hash: UInt64, system: Bool, bits: Int) -> Int {
        Int(truncatingIfNeeded: FeatureHash.mix(system ? hash ^ systemSalt : hash) >> UInt64(64 - bits))
    }

    /// Predicts the difficulty and task type of `features`.
    /// - Parameter taskHead: false skips the task head (a rule or the caller already named the task type): the
    ///   prediction's `taskType` is then empty, and it costs about half as much.
    public func predict(_ features: RoutingFeatures, taskHead: Bool = true) -> RouterModelPrediction {
        let stride = classCount
        let k = taskHead ? stride : 3
        var scores = [Double](repeating: 0, count: k)
        // The three strongest pushes towards harder and towards simpler, by (w[hard] - w[simple]) · x.
        var harder = TopFeatures()
        var simpler = TopFeatures()
        // Their floors, kept apart: most features enter neither list, and reading a float is all they cost.
        var harderFloor: Float = 0
        var simplerFloor: Float = 0
        // One scratch row for the text sums: a captured `var` array would pay a uniqueness check on every add,
        // which alone tripled the time of a 2 KB prompt.
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { sums.deallocate() }
        weights.withUnsafeBufferPointer { w in
            for system in [false, true] {
                let text = system ? features.systemText : features.lastUserText
                guard !text.isEmpty else { continue }
                sums.initialize(repeating: 0)
                var head = SIMD16<Float>()
                var occurrences = 0
                Self.text.withBytes(of: text) { bytes in
                    Self.text.forEachFeature(in: bytes) { hash, span in
                        let base = Self.bucket(hash, system: system, bits: bucketBits) * stride
                        occurrences += 1
                        if k >= 16 {
                            // The first 16 classes in one vector add; the row is not 64-byte aligned.
                            head += UnsafeRawPointer(w.baseAddress! + base).loadUnaligned(as: SIMD16<Float>.self)
                            for c in 16..<k { sums[c] += w[base + c] }
                        } else {
                            for c in 0..<k { sums[c] += w[base + c] }
                        }
                        let push = w[base + 2] - w[base]
                        if push > harderFloor {
                            harder.offer(push, bucket: base, source: .text(span, system: system))
                            harderFloor = harder.floor
                        } else if -push > simplerFloor {
                            simpler.offer(-push, bucket: base, source: .text(span, system: system))
                            simplerFloor = simpler.floor
                        }
                    }
                }
                if k >= 16 { for c in 0..<16 { sums[c] = head[c] } }
                let scale = occurrences > 0 ? 1 / Double(occurrences).squareRoot() : 0
                for c in 0..<k { scores[c] += Double(sums[c]) * scale }
            }
            let shape = RequestShape.values(of: features)
            let shapeBase = 1 << bucketBits
            for (j, x) in shape.enumerated() where x != 0 {
                let base = (shapeBase + j) * stride
                for c in 0..<k { scores[c] += Double(w[base + c] * x) }
                guard j != 0 else { continue }  // the bias decides nothing about this request
                let push = (w[base + 2] - w[base]) * x
                if push > harder.floor {
                    harder.offer(push, bucket: base, source: .shape(j))
                } else if -push > simpler.floor {
                    simpler.offer(-push, bucket: base, source: .shape(j))
                }
            }
        }
        let difficulty = Self.softmax(scores[0..<3])
        let tasks = taskHead ? Self.softmax(scores[3...]) : []
        var best = 0
        for i in tasks.indices where tasks[i] > tasks[best] { best = i }
        return RouterModelPrediction(
            probabilities: difficulty, taskType: tasks.isEmpty ? "" : taskTypes[best],
            taskConfidence: tasks.isEmpty ? 0 : tasks[best], harderFeatures: harder.names(features),
            simplerFeatures: simpler.names(features))
    }

    fileprivate static func name(_ span: FeatureSpan, _ bytes: UnsafeBufferPointer<UInt8>, _ system: Bool) -> String {
        let name = TextFeatures.name(of: span, in: bytes)
        return system ? "system:" + name : name
    }

    static func softmax(_ scores: ArraySlice<Double>) -> [Double] {
        guard let top = scores.max() else { return [] }
        let e = scores.map { Foundation.exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}

/// The few strongest features of one direction, kept without allocating per feature: where each came from is
/// kept while the text is scanned, and only the survivors are named, at the end (naming every feature that
/// entered the list on the way was most of the allocations of a prediction).
struct TopFeatures {
    static let size = 3
    /// Where a feature came from: a span of the user turn or of the system prompt, or a shape feature.
    enum Source {
        case text(FeatureSpan, system: Bool)
        case shape(Int)
    }
    private(set) var entries: [(push: Float, bucket: Int, source: Source)] = []
    /// The smallest push that still enters the list.
    var floor: Float { entries.count < Self.size ? 0 : entries[entries.count - 1].push }

    mutating func offer(_ push: Float, bucket: Int, source: Source) {
        if entries.isEmpty { entries.reserveCapacity(Self.size + 1) }
        if let i = entries.firstIndex(where: { $0.bucket == bucket }) {
            guard push > entries[i].push else { return }
            entries.remove(at: i)
        }
        let at = entries.firstIndex { $0.push < push } ?? entries.count
        entries.insert((push, bucket, source), at: at)
        if entries.count > Self.size { entries.removeLast() }
    }

    /// The features' names, strongest first, read from the texts of `features` they came from.
    func names(_ features: RoutingFeatures) -> [String] {
        entries.map { entry in
            switch entry.source {
            case .shape(let j):
                return RequestShape.names[j]
            case .text(let span, let system):
                return RouterModel.text.withBytes(of: system ? features.systemText : features.lastUserText) {
                    RouterModel.name(span, $0, system)
                }
            }
        }
    }
}
