extension NaiveBayesClassifier {
    /// How the classifier reads text and turns counts into probabilities; the defaults suit the shipped examples.
    public struct Configuration: Sendable, Hashable {
        /// Which n-grams become features.
        public var features: TextFeatures
        /// Lidstone smoothing added to every feature count (1 is Laplace); small values trust rare n-grams more.
        public var smoothing: Double
        /// A prompt's evidence counts as at most this many feature occurrences: beyond it the log-likelihood sum is
        /// scaled down, so a long paste neither outweighs its instruction in training nor makes confidence 1.0.
        public var evidenceCap: Double
        /// Softmax temperature; `nil` fits it at training by an inner 3-fold cross-validation minimising log loss.
        public var temperature: Double?
        /// How many features `TextPrediction.topFeatures` lists.
        public var topFeatureCount: Int
        /// Bytes at the start and at the end of a prompt read as its instruction, at full weight.
        public var instructionBytes: Int
        /// Weight of the features between the instruction's head and tail: pasted documents, code or data say less
        /// about the task than the words asking for it. 1 weighs every feature alike.
        public var bodyWeight: Double

        /// Creates a configuration.
        public init(
            features: TextFeatures = TextFeatures(), smoothing: Double = 1, evidenceCap: Double = 100,
            temperature: Double? = nil, topFeatureCount: Int = 5, instructionBytes: Int = 200, bodyWeight: Double = 0.3
        ) {
            self.features = features
            self.smoothing = smoothing
            self.evidenceCap = evidenceCap
            self.temperature = temperature
            self.topFeatureCount = topFeatureCount
            self.instructionBytes = instructionBytes
            self.bodyWeight = bodyWeight
        }

        /// The weight of a feature starting at byte `start` of a `length`-byte text.
        @inline(__always)
        func weight(at start: Int32, length: Int) -> Double {
            let start = Int(start)
            return start < instructionBytes || start >= length - instructionBytes ? 1 : bodyWeight
        }
    }
}
