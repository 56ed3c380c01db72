/// The classifier's statistical fallback, trained from the policy's labelled examples when the policy loads.
///
/// A closure box so the policy stays a plain `Sendable` value whatever the model behind it is.
public struct StatisticalModel: Sendable {
    /// One prediction: the label, its confidence in 0…1 and the words that weighed most.
    public typealias Prediction = TextPrediction

    /// How many labelled examples trained the model.
    public var exampleCount: Int
    private let predict: @Sendable (String) -> Prediction

    /// Wraps a prediction function.
    public init(exampleCount: Int, predict: @escaping @Sendable (String) -> Prediction) {
        self.exampleCount = exampleCount
        self.predict = predict
    }

    /// Predicts the task type of `text`.
    public func classify(_ text: String) -> Prediction { predict(text) }
}
