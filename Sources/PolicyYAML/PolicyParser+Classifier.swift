import ClaudeAPI
import Foundation
import RouterCore
import Yams

// classifier.yaml and examples/*.jsonl.
extension PolicyParser {
    // MARK: classifier.yaml

    func parseClassifier() {
        let file = "classifier.yaml"
        guard let top = root(file) else { return }
        top.allowOnly(
            ["default_task_type", "default_confidence", "confidence_floor", "safe_tier", "statistical", "rules"],
            in: file)
        let defaultType = top.string("default_task_type", required: true) ?? ""
        if !defaultType.isEmpty { checkTaskType(defaultType, file, top.value("default_task_type")?.mark) }
        var config = ClassifierConfig(rules: [], defaultTaskType: defaultType)
        if let v = top.fraction("default_confidence") { config.defaultConfidence = v }
        if let v = top.fraction("confidence_floor") { config.confidenceFloor = v }
        if let v = top.tier("safe_tier") { config.safeTier = v }
        if let s = top.mapping("statistical", what: "'statistical'") {
            s.allowOnly(["enabled", "examples"], in: "'statistical'")
            if let v = s.bool("enabled") { config.statisticalEnabled = v }
            if let v = s.string("examples") { config.examplesDirectory = v }
        }
        var ruleNames: [String: Int] = [:]
        for r in top.mappingList("rules", what: "a rule") {
            r.allowOnly(["name", "task_type", "confidence", "when"], in: "a rule")
            let name = r.string("name", required: true)
            if let name {
                if let line = ruleNames[name] {
                    diag.error(file, r.value("name")?.mark, "rule '\(name)' is defined twice (also at line \(line))")
                }
                ruleNames[name] = r.value("name")?.mark?.line ?? 0
            }
            let taskType = r.string("task_type", required: true)
            if let taskType { checkTaskType(taskType, file, r.value("task_type")?.mark) }
            var rule = ClassifierRule(
                name: name ?? "", taskType: taskType ?? "", confidence: r.fraction("confidence") ?? 0.9)
            if let w = r.mapping("when", what: "'when'") {
                w.allowOnly(
                    [
                        "user_words", "user_patterns", "system_words", "system_patterns", "tools", "images",
                        "documents",
                        "min_input_tokens", "max_input_tokens", "min_turns", "max_turns", "clients", "metadata",
                    ],
                    in: "'when'")
                rule.userText = textPattern(w, words: "user_words", patterns: "user_patterns")
                rule.systemText = textPattern(w, words: "system_words", patterns: "system_patterns")
                rule.toolsPresent = w.bool("tools")
                rule.imagesPresent = w.bool("images")
                rule.documentsPresent = w.bool("documents")
                rule.minInputTokens = w.int("min_input_tokens")
                rule.maxInputTokens = w.int("max_input_tokens")
                rule.minTurns = w.int("min_turns").map(Int.init)
                rule.maxTurns = w.int("max_turns").map(Int.init)
                for (client, mark) in w.stringList("clients") ?? [] {
                    if clientsKnown, !clients.contains(where: { $0.name == client }) {
                        unknown("client", client, file, mark, among: clients.map(\.name))
                    }
                    rule.clients.append(client)
                }
                if let meta = w.mapping("metadata", what: "'metadata'") {
                    for pair in meta.pairs where !pair.key.hasPrefix(duplicateKeyMarker) {
                        if let s = pair.value.scalar {
                            rule.metadata[pair.key] = s.string
                        } else {
                            diag.error(
                                file, pair.value.mark, "metadata values must be text, found \(pair.value.kindName)")
                        }
                    }
                }
            }
            config.rules.append(rule)
        }
        classifier = config
    }

    /// The combined pattern of a place's words and regexes ("any of them"), reporting each regex that fails.
    func textPattern(_ w: MapReader, words: String, patterns: String) -> TextPattern? {
        var alternatives: [String] = []
        for (word, mark) in w.stringList(words) ?? [] {
            if word.trimmingCharacters(in: .whitespaces).isEmpty {
                diag.error(w.file, mark, "'\(words)' must not contain empty words")
                continue
            }
            alternatives.append("\\b(?:\(NSRegularExpression.escapedPattern(for: word)))\\b")
        }
        for (pattern, mark) in w.stringList(patterns) ?? [] {
            if let problem = TextPattern.compileError(pattern) {
                diag.error(w.file, mark, problem)
                continue
            }
            alternatives.append("(?:\(pattern))")
        }
        guard !alternatives.isEmpty else { return nil }
        return try? TextPattern(pattern: alternatives.joined(separator: "|"))
    }

    // MARK: examples/*.jsonl

    func parseExamples() {
        let dir =
            classifier.examplesDirectory.hasSuffix("/")
            ? classifier.examplesDirectory : classifier.examplesDirectory + "/"
        for file in files where file.name.hasPrefix(dir) && file.name.hasSuffix(".jsonl") {
            var lineNumber = 0
            for line in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                // The same skipping rules as `TrainingExamples.parseJSONL`: blank lines and comments.
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
                let mark = Loc(lineNumber, 1)
                guard let value = try? JSONValue.parse(String(trimmed)), let object = value.objectValue else {
                    diag.error(file.name, mark, "each line must be a JSON object {\"text\": ..., \"label\": ...}")
                    continue
                }
                guard let text = object["text"]?.stringValue,
                    let label = object["label"]?.stringValue?.trimmingCharacters(in: .whitespaces), !label.isEmpty
                else {
                    diag.error(file.name, mark, "each line needs text values \"text\" and \"label\"")
                    continue
                }
                if checkTaskType(label, file.name, mark) { examples.append((text, label)) }
            }
        }
    }
}
