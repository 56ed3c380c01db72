/// One labelled prompt the classifier learns from: what an application sent and the task type an operator gave it.
///
/// Examples live in `policies/examples/<label>.jsonl`, one JSON object per line (`{"text": ..., "label": ...}`);
/// `TrainingExamples.parseJSONL(_:file:)` reads them.
public struct TrainingExample: Sendable, Hashable {
    /// The prompt text as the application would send it (instructions, pasted data and code included).
    public var text: String
    /// The task type, e.g. `coding` or `extraction`; the policy's routing rules refer to these names.
    public var label: String

    /// Creates an example from its text and label.
    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}
