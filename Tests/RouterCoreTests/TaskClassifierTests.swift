import Testing

@testable import RouterCore

@Suite struct TaskClassifierTests {
    @Test(
        "the shipped rules recognise each kind of task",
        arguments: [
            ("Classify the sentiment of this tweet: I love it", "classification", "classify"),
            ("Extract every date and amount from the invoice below as JSON", "extraction", "extract"),
            ("Refactor this function to avoid the nested loops", "coding", "code"),
            ("Why does my Swift code crash here?", "coding", "code"),
            ("Design the system architecture for a chat service with 10M users", "architecture", "architecture"),
            ("Prove that the square root of 2 is irrational", "complex_reasoning", "prove"),
            ("Write a short email to my landlord about the broken heater", "writing", "write"),
        ])
    func shippedRules(text: String, taskType: String, rule: String) throws {
        let c = try TaskClassifier.classify(RoutingFeatures(lastUserText: text), policy: Shipped.policy)
        #expect(c.taskType == taskType)
        #expect(c.source == .rule)
        #expect(c.reason.hasPrefix("rule '\(rule)' matched"), "\(c.reason)")
    }

    @Test func systemPromptRulesReadTheSystemPrompt() throws {
        let f = RoutingFeatures(lastUserText: "I want a refund", systemText: "You are the router of a help desk.")
        let c = try TaskClassifier.classify(f, policy: Shipped.policy)
        #expect(c.taskType == "routing")
        #expect(c.reason.contains("'router' in the system prompt"))
    }

    @Test func theCallersHintWins() throws {
        let f = RoutingFeatures(lastUserText: "Classify this", taskTypeHint: "architecture")
        let c = try TaskClassifier.classify(f, policy: Shipped.policy)
        #expect(c.taskType == "architecture")
        #expect(c.source == .hint)
        #expect(c.confidence == 1)
    }

    @Test func anUnknownHintIsTheCallersError() {
        #expect(throws: RoutingError.self) {
            try TaskClassifier.classify(RoutingFeatures(taskTypeHint: "poetry"), policy: Shipped.policy)
        }
    }

    @Test func conditionsMustAllHold() {
        let rule = ClassifierRule(
            name: "r", taskType: "coding", userText: TextPattern(anyOf: ["bug"]), toolsPresent: true, minTurns: 3,
            clients: ["dev"], metadata: ["team": "core"])
        let f = RoutingFeatures(
            lastUserText: "a BUG here", hasTools: true, turns: 3, client: "dev", metadata: ["team": "core"])
        #expect(TaskClassifier.match(rule, f) != nil)
        var other = f
        other.turns = 2
        #expect(TaskClassifier.match(rule, other) == nil)
        other = f
        other.client = "x"
        #expect(TaskClassifier.match(rule, other) == nil)
        other = f
        other.metadata = [:]
        #expect(TaskClassifier.match(rule, other) == nil)
        other = f
        other.lastUserText = "debugging"  // whole words only
        #expect(TaskClassifier.match(rule, other) == nil)
    }

    static func policy(statistical: StatisticalModel?) -> Policy {
        var p = Shipped.policy
        p.classifier.rules = []
        p.statistical = statistical
        return p
    }

    @Test func theStatisticalModelDecidesWhenNoRuleMatches() throws {
        let model = StatisticalModel(exampleCount: 3) { _ in
            .init(label: "extraction", confidence: 0.8, topFeatures: ["invoice"])
        }
        let c = try TaskClassifier.classify(
            RoutingFeatures(lastUserText: "the invoice"), policy: Self.policy(statistical: model))
        #expect(c.taskType == "extraction")
        #expect(c.source == .statistical)
        #expect(c.reason.contains("'invoice'"))
    }

    @Test func withNothingToGoOnTheDefaultApplies() throws {
        let c = try TaskClassifier.classify(RoutingFeatures(lastUserText: "hmm"), policy: Self.policy(statistical: nil))
        #expect(c.taskType == "analysis")
        #expect(c.source == .default)
        #expect(c.confidence == 0.5)
    }
}
