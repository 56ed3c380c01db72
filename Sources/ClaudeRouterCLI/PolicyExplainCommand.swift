import ArgumentParser
import ClaudeAPI
import Foundation
import PolicyYAML
import RouterCore

/// `claude-router policy explain REQUEST.json`: shows the routing decision for a request without calling the API.
struct PolicyExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how a Messages API request would be routed: task type, confidence, reason, model, cost.",
        discussion: """
            REQUEST.json is a body for POST /v1/messages ("model" may be auto, a tier, an alias or an id).
            Example: claude-router policy explain examples/coding.json --client dev
            The budget is assumed unspent unless --spent-today/--spent-month (the client's spend) or
            --task-type-spent-today/--task-type-spent-month (its spend on the request's task type) say otherwise;
            the tighter of the client's and the task type's budget applies. Prices are those in force today (UTC).
            The decision is the one the service makes (POST /v1/route answers the same JSON) for a request it sees
            first: the cache plan is a fresh planner's, and the deferral is that of a task at the client's default
            priority unless --priority says otherwise.
            """)

    @Argument(help: "A Messages API request body (JSON); '-' reads standard input.")
    var request: String

    @Option(help: "The client to route for (a name from clients.yaml). Without it, no client restrictions apply.")
    var client: String?

    @OptionGroup var policyDirectory: PolicyDirectoryOption

    @Option(name: .customLong("task-type"), help: "A task-type hint, as the x-router-task-type header gives.")
    var taskType: String?

    @Option(name: .customLong("spent-today"), help: "What the client has spent today (UTC), in USD.")
    var spentToday: String?

    @Option(name: .customLong("spent-month"), help: "What the client has spent this month (UTC), in USD.")
    var spentMonth: String?

    @Option(
        name: .customLong("task-type-spent-today"),
        help: "What the client has spent today on the request's task type, in USD.")
    var taskTypeSpentToday: String?

    @Option(
        name: .customLong("task-type-spent-month"),
        help: "What the client has spent this month on the request's task type, in USD.")
    var taskTypeSpentMonth: String?

    @Option(help: "The task's priority (interactive or background); the client's default without it.")
    var priority: String?

    @Flag(help: "Print the decision as JSON (the same object as POST /v1/route's \"decision\").")
    var json = false

    func run() async throws {
        let policy = try policyDirectory.load()
        let data: Data
        if request == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: request) else {
                throw ValidationError("cannot read \(request)")
            }
            data = read
        }
        let body: JSONObject
        do {
            guard let object = try JSONValue.parse(data: data).objectValue else {
                throw ValidationError("\(request) must hold a JSON object (a Messages API request body)")
            }
            body = object
        } catch let error as JSONSyntaxError {
            throw ValidationError("\(request): \(error)")
        }
        var spec: ClientSpec?
        if let client {
            guard let found = policy.client(named: client) else {
                throw ValidationError(
                    "unknown client '\(client)'; known: \(policy.clients.map(\.name).joined(separator: ", "))")
            }
            spec = found
        }
        var runPriority: AdmissionQueue.Priority?
        if let priority {
            guard let parsed = AdmissionQueue.Priority(rawValue: priority) else {
                throw ValidationError("--priority must be interactive or background, found '\(priority)'")
            }
            runPriority = parsed
        }
        let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
        let clientSpent = (
            day: try Self.usd(spentToday, "--spent-today"), month: try Self.usd(spentMonth, "--spent-month")
        )
        let typeSpent = (
            day: try Self.usd(taskTypeSpentToday, "--task-type-spent-today"),
            month: try Self.usd(taskTypeSpentMonth, "--task-type-spent-month")
        )
        let decision: Decision
        do {
            decision = try Router.explain(
                DecisionRequest(body: body, client: client ?? "", taskTypeHint: taskType), client: spec,
                policy: policy, spend: { $0 == nil ? clientSpent : typeSpent }, nowMillis: nowMillis,
                priority: runPriority)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.code.apiErrorType): \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            print(decision.json.jsonString())
            return
        }
        let cacheMode = policy.cache.explainMode(client: client ?? "", taskType: decision.classification.taskType)
        let c = decision.classification
        print(
            "task type:  \(c.taskType) (confidence \(Int((c.confidence * 100).rounded()))%\(decision.lowConfidence ? ", below the floor" : ""))"
        )
        print("because:    \(c.reason)")
        if let difficulty = decision.difficulty {
            let p = decision.difficultyProbabilities.map { String(format: "%.2f", $0) }.joined(separator: "/")
            print(
                "difficulty: \(difficulty) (simple/standard/hard \(p), quality_bias \(policy.routing.qualityBias))")
            print("because:    \(decision.difficultyFeatures.joined(separator: ", "))")
        } else {
            print("difficulty: not judged (\(decision.difficultyNotJudged ?? "the router model gave no prediction"))")
        }
        print("model:      \(decision.model) [\(decision.tier)]")
        print("because:    \(decision.modelReason)")
        print("estimate:   ~\(decision.estimatedUsage.input) input + ~\(decision.estimatedUsage.output) output tokens")
        print("cost:       $\(decision.estimatedCost.dollars(decimals: 6)) (\(decision.priceVersion))")
        print("baseline:   $\(decision.estimatedBaselineCost.dollars(decimals: 6)) on \(decision.baselineModel)")
        if !decision.fallbackModels.isEmpty { print("fallbacks:  \(decision.fallbackModels.joined(separator: ", "))") }
        print("deferrable: \(decision.deferrable ? "yes" : "no")")
        if let line = Self.budgetLine(decision) { print("budget:     \(line)") }
        print("cache:      \(cacheMode)")
        // A fresh planner has seen no reuse yet: in the service the plan also depends on what it has observed.
        print("cache plan: \(decision.cache.ledgerForm)")
        for reason in decision.cache.reasons { print("            \(reason)") }
        print("deferral:   \(decision.deferral.reason?.rawValue ?? "no") (\(decision.deferral.note))")
        print("policy:     \(policy.contentHash.prefix(12))")
    }

    /// An amount of US dollars given to `option`, zero when absent.
    static func usd(_ text: String?, _ option: String) throws -> Money {
        guard let text else { return .zero }
        guard let money = Money(dollars: text), money.nanoUSD >= 0 else {
            throw ValidationError("\(option) must be an amount of US dollars such as 12.50, found '\(text)'")
        }
        return money
    }

    /// Which budget acted on the decision and how, or nil when none did.
    static func budgetLine(_ decision: Decision) -> String? {
        let whose = decision.budgetTaskType.map { "for task type '\($0)'" } ?? "of the client"
        switch decision.budget {
        case .ok: return nil
        case .softLimit(let action, let period, let spent, let limit, _):
            return "\(period.rawValue) budget \(whose) past its soft limit ($\(spent.readableDollars) of "
                + "$\(limit.readableDollars)): \(action.rawValue)"
        case .hardLimit: return nil  // refused before a decision exists
        }
    }
}
