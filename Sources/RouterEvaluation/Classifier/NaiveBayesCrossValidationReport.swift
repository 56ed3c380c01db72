import Foundation
public import RouterCore

extension NaiveBayesClassifier {
    /// The result of `crossValidate`: accuracy overall and per label, the confusions, and how well calibrated the
    /// confidences were.
    public struct CrossValidationReport: Sendable, Hashable, CustomStringConvertible {
        /// One held-out example's result.
        public struct Outcome: Sendable, Hashable {
            /// The label the example carries.
            public var expected: String
            /// The label the classifier gave it.
            public var predicted: String
            /// The probability of `predicted`.
            public var confidence: Double
            /// The probability given to `expected` (for the log loss).
            public var probabilityOfExpected: Double
        }

        /// Accuracy on one label's examples (recall) and how often predicting it was right (precision).
        public struct LabelScore: Sendable, Hashable {
            /// The label.
            public var label: String
            /// Examples carrying it.
            public var examples: Int
            /// Of those, classified correctly.
            public var correct: Int
            /// Times the classifier predicted this label.
            public var predicted: Int
            /// `correct / examples`.
            public var accuracy: Double { examples == 0 ? 0 : Double(correct) / Double(examples) }
            /// `correct / predicted`.
            public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
        }

        /// A kind of mistake: how many `expected` examples were classified as `predicted`.
        public struct Confusion: Sendable, Hashable {
            /// The true label.
            public var expected: String
            /// The wrong prediction.
            public var predicted: String
            /// How many times.
            public var count: Int
        }

        /// Number of folds used.
        public var folds: Int
        /// The shuffle seed used.
        public var seed: UInt64
        /// Every held-out example's result.
        public var outcomes: [Outcome]

        /// Examples evaluated.
        public var examples: Int { outcomes.count }
        /// Examples classified correctly.
        public var correct: Int { outcomes.filter { $0.expected == $0.predicted }.count }
        /// `correct / examples`.
        public var accuracy: Double { examples == 0 ? 0 : Double(correct) / Double(examples) }

        /// Scores per label, sorted by label.
        public var perLabel: [LabelScore] {
            var scores: [String: LabelScore] = [:]
            for outcome in outcomes {
                scores[
                    outcome.expected,
                    default: LabelScore(label: outcome.expected, examples: 0, correct: 0, predicted: 0)
                ]
                .examples += 1
                scores[
                    outcome.predicted,
                    default: LabelScore(label: outcome.predicted, examples: 0, correct: 0, predicted: 0)
                ]
                .predicted += 1
                if outcome.expected == outcome.predicted { scores[outcome.expected]!.correct += 1 }
            }
            return scores.values.sorted { $0.label < $1.label }
        }

        /// Mistakes grouped by (expected, predicted), most frequent first.
        public var confusions: [Confusion] {
            var counts: [[String]: Int] = [:]
            for outcome in outcomes where outcome.expected != outcome.predicted {
                counts[[outcome.expected, outcome.predicted], default: 0] += 1
            }
            return counts.map { Confusion(expected: $0.key[0], predicted: $0.key[1], count: $0.value) }
                .sorted { ($1.count, $0.expected, $0.predicted) < ($0.count, $1.expected, $1.predicted) }
        }

        /// Mean confidence of the predictions; close to `accuracy` when confidences are calibrated.
        public var meanConfidence: Double {
            examples == 0 ? 0 : outcomes.reduce(0) { $0 + $1.confidence } / Double(examples)
        }

        /// Mean negative log probability of the true label (lower is better; ln(labels) is a uniform guess).
        public var logLoss: Double {
            examples == 0
                ? 0 : outcomes.reduce(0) { $0 - log(max($1.probabilityOfExpected, 1e-12)) } / Double(examples)
        }

        /// Expected calibration error over ten confidence bins: the weighted mean gap between confidence and
        /// accuracy within each bin (0 is perfectly calibrated).
        public var expectedCalibrationError: Double {
            guard examples > 0 else { return 0 }
            var confidence = [Double](repeating: 0, count: 10)
            var right = [Double](repeating: 0, count: 10)
            var count = [Double](repeating: 0, count: 10)
            for outcome in outcomes {
                let bin = min(9, Int(outcome.confidence * 10))
                confidence[bin] += outcome.confidence
                right[bin] += outcome.expected == outcome.predicted ? 1 : 0
                count[bin] += 1
            }
            var error = 0.0
            for bin in 0..<10 where count[bin] > 0 { error += abs(confidence[bin] - right[bin]) }
            return error / Double(examples)
        }

        /// A plain-text table: overall figures, then per label, then the confusions.
        public var description: String {
            func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
            var lines = [
                "\(folds)-fold stratified cross-validation (seed \(seed)) on \(examples) examples",
                "accuracy \(percent(accuracy)) (\(correct)/\(examples)), mean confidence \(percent(meanConfidence)), "
                    + "log loss \(String(format: "%.3f", logLoss)), ECE \(String(format: "%.3f", expectedCalibrationError))",
                "",
                "label                 examples  accuracy  precision",
            ]
            for score in perLabel {
                lines.append(
                    score.label.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(
                            format: "%8d  %8@  %9@", score.examples, percent(score.accuracy), percent(score.precision)))
            }
            if !confusions.isEmpty {
                lines.append("")
                lines.append("confusions (expected -> predicted: count)")
                for confusion in confusions {
                    lines.append("  \(confusion.expected) -> \(confusion.predicted): \(confusion.count)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
