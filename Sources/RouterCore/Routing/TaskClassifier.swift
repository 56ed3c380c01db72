/// Decides a request's task type: the caller's hint, then the policy's rules in order, then the router model's task
/// head, then the statistical model, then the policy's default.
public enum TaskClassifier {
    /// Classifies `features` under `policy`.
    /// - Parameter prediction: the router model's prediction for `features` (nil without a model), asked only when
    ///   no hint or rule decides.
    /// - Throws: `RoutingError` (`invalid_request_error`) when the caller's hint names no task type of the policy.
    public static func classify(
        _ features: RoutingFeatures, policy: Policy, prediction: () -> RouterModelPrediction? = { nil }
    ) throws(RoutingError) -> Classification {
        if let hint = features.taskTypeHint, !hint.isEmpty {
            guard policy.taskTypes[hint] != nil else {
                throw RoutingError(
                    .unknownTaskType,
                    "unknown task_type '\(hint)'; known: \(policy.taskTypes.keys.sorted().joined(separator: ", "))")
            }
            return Classification(
                taskType: hint, confidence: 1, source: .hint, reason: "the caller named task type '\(hint)'")
        }
        for rule in policy.classifier.rules {
            if let evidence = match(rule, features) {
                return Classification(
                    taskType: rule.taskType, confidence: rule.confidence, source: .rule,
                    reason: "rule '\(rule.name)' matched \(evidence)")
            }
        }
        if let prediction = prediction(), policy.taskTypes[prediction.taskType] != nil {
            return Classification(
                taskType: prediction.taskType, confidence: prediction.taskConfidence, source: .statistical,
                reason: "router model \(policy.routerModel?.version ?? "")")
        }
        let text = features.lastUserText
        if policy.classifier.statisticalEnabled, let model = policy.statistical, !text.isEmpty {
            let p = model.classify(text)
            if policy.taskTypes[p.label] != nil {
                let words = p.topFeatures.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
                return Classification(
                    taskType: p.label, confidence: p.confidence, source: .statistical,
                    reason:
                        "statistical classifier (\(model.exampleCount) examples) on words \(words.isEmpty ? "none" : words)"
                )
            }
        }
        let fallback = policy.classifier.defaultTaskType
        return Classification(
            taskType: fallback, confidence: policy.classifier.defaultConfidence, source: .default,
            reason: "no rule matched; the policy's default task type")
    }

    /// Why `rule` matches `features` (a short phrase), or nil when it does not.
    public static func match(_ rule: ClassifierRule, _ f: RoutingFeatures) -> String? {
        var evidence: [String] = []
        if !rule.clients.isEmpty {
            guard rule.clients.contains(f.client) else { return nil }
            evidence.append("client \(f.client)")
        }
        for (key, value) in rule.metadata.sorted(by: { $0.key < $1.key }) {
            guard f.metadata[key] == value else { return nil }
            evidence.append("metadata \(key)=\(value)")
        }
        if let want = rule.toolsPresent {
            guard f.hasTools == want else { return nil }
            evidence.append(want ? "tools present" : "no tools")
        }
        if let want = rule.imagesPresent {
            guard f.hasImages == want else { return nil }
            evidence.append(want ? "images present" : "no images")
        }
        if let want = rule.documentsPresent {
            guard f.hasDocuments == want else { return nil }
            evidence.append(want ? "documents present" : "no documents")
        }
        guard
            within(
                f.estimatedInputTokens, min: rule.minInputTokens, max: rule.maxInputTokens,
                "~\(f.estimatedInputTokens) input tokens", evidence: &evidence),
            within(f.turns, min: rule.minTurns, max: rule.maxTurns, "\(f.turns) turns", evidence: &evidence)
        else { return nil }
        if let pattern = rule.systemText {
            guard let found = pattern.firstMatch(in: f.systemText) else { return nil }
            evidence.append("'\(found)' in the system prompt")
        }
        if let pattern = rule.userText {
            guard let found = pattern.firstMatch(in: f.lastUserText) else { return nil }
            evidence.append("'\(found)' in the last user turn")
        }
        return evidence.isEmpty ? "every request" : evidence.joined(separator: ", ")
    }

    /// Whether `value` meets a rule's bounds (either may be absent); notes each bound it meets in `evidence` as
    /// `described ≥ min` or `described ≤ max`.
    private static func within<Value: BinaryInteger>(
        _ value: Value, min: Value?, max: Value?, _ described: @autoclosure () -> String, evidence: inout [String]
    ) -> Bool {
        if let min {
            guard value >= min else { return false }
            evidence.append("\(described()) ≥ \(min)")
        }
        if let max {
            guard value <= max else { return false }
            evidence.append("\(described()) ≤ \(max)")
        }
        return true
    }
}
