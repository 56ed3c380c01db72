import RouterCore
import Yams

/// One validation pass over a policy's files: every section parsed, every reference checked, every problem kept.
///
/// Sections are read in dependency order (limits → models → task types → clients → classifier → routing → the
/// rest) so references can be checked as they are met. A reference into a file that could not be parsed at all is
/// not reported again (one syntax error should not cascade into dozens of "unknown model" errors).
final class PolicyParser {
    let diag = Diagnostics()
    let files: [PolicyFile]
    var roots: [String: Node] = [:]
    var present: Set<String> = []

    var limits = LimitsConfig(buckets: [:])
    var bucketsKnown = false
    /// Every bucket named in limits.yaml, valid or not, so a bad bucket is reported once, not at every model.
    var bucketNames: Set<String> = []
    var models: [ModelSpec] = []
    var modelIndex: [String: String] = [:]  // id or alias → id
    var modelsKnown = false
    var tierDefaults: [Tier: String] = [:]
    var taskTypes: [TaskTypeSpec] = []
    var taskTypeNames: Set<String> = []
    var taskTypesKnown = false
    var clients: [ClientSpec] = []
    var clientsKnown = false
    var classifier = ClassifierConfig(rules: [], defaultTaskType: "")
    var routing = RoutingConfig()
    var cache = CachePolicy()
    var batches = BatchConfig()
    var examples: [(text: String, label: String)] = []

    init(files: [PolicyFile]) { self.files = files }

    func build(contentHash: String) -> Policy? {
        let known = PolicyLoader.requiredFiles + PolicyLoader.optionalFiles
        for file in files where !file.name.contains("/") {
            if file.name.hasSuffix(".yml") {
                let renamed = String(file.name.dropLast(4)) + ".yaml"
                diag.error(file.name, Loc(1, 1), "policy files end in .yaml; rename it to '\(renamed)'")
                continue
            }
            guard known.contains(file.name) else {
                var message = "unknown policy file '\(file.name)'"
                if let s = EditDistance.suggestion(for: file.name, among: known) {
                    message += "; did you mean '\(s)'?"
                } else {
                    message += "; known files: \(known.joined(separator: ", "))"
                }
                diag.error(file.name, Loc(1, 1), message)
                continue
            }
            present.insert(file.name)
            guard let root = PolicyLoader.compose(file, diag: diag) else { continue }
            if root.isNull {
                if PolicyLoader.requiredFiles.contains(file.name) {
                    diag.error(file.name, Loc(1, 1), "the file is empty")
                }
                continue
            }
            roots[file.name] = root
        }
        for name in PolicyLoader.requiredFiles where !present.contains(name) {
            diag.error(name, nil, "missing required policy file '\(name)'")
        }
        parseLimits()
        parseModels()
        parseTaskTypes()
        parseClients()
        parseClassifier()
        parseExamples()
        parseRouting()
        parseCache()
        parseBatches()
        guard diag.isEmpty else { return nil }
        return Policy(
            models: models, tierDefaults: tierDefaults, taskTypes: taskTypes, classifier: classifier, routing: routing,
            clients: clients, cache: cache, batches: batches, limits: limits,
            statistical: StatisticalTraining.train(examples),
            routerModel: routing.difficultyModel ? RouterModel.builtin : nil, contentHash: contentHash)
    }

    /// The root mapping of `file`, or nil when absent or unparsable.
    func root(_ file: String) -> MapReader? {
        guard let node = roots[file] else { return nil }
        return MapReader(node, file: file, diag: diag, what: "the top level of \(file)")
    }

    /// Reports a reference to a name that does not exist, suggesting the nearest existing one.
    func unknown(_ kind: String, _ name: String, _ file: String, _ mark: (any Positioned)?, among candidates: [String])
    {
        var message = "unknown \(kind) '\(name)'"
        if let s = EditDistance.suggestion(for: name, among: candidates) {
            message += "; did you mean '\(s)'?"
        } else if !candidates.isEmpty {
            message += "; known: \(candidates.sorted().joined(separator: ", "))"
        }
        diag.error(file, mark, message)
    }
}
