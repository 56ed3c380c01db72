import PolicyYAML
import RouterCore
import Testing

/// Per-difficulty tiers in task-types.yaml and the routing.yaml keys of the router model.
@Suite struct DifficultyPolicyTests {
    static func load(taskTypes: String? = nil, routing: String? = nil) -> Result<Policy, PolicyLoadError> {
        var changes: [String: String?] = [:]
        if let taskTypes { changes["task-types.yaml"] = taskTypes }
        if let routing { changes["routing.yaml"] = routing }
        do { return .success(try PolicyLoader.load(files: Fixture.with(changes))) } catch { return .failure(error) }
    }

    /// The fixture's other task types, which its classifier rules name.
    static let others = "\n  quick: {tier: haiku}\n  deep: {tier: opus}\n"

    static func issues(taskTypes: String? = nil, routing: String? = nil) -> [String] {
        if case .failure(let error) = load(taskTypes: taskTypes, routing: routing) {
            return error.issues.map(\.description)
        }
        return []
    }

    @Test func aTaskTypeMapsEachDifficultyToATierAndTheOneTierFormStaysValid() throws {
        let policy = try Self.load(
            taskTypes: """
                task_types:
                  writing:
                    tier: {simple: haiku, standard: sonnet, hard: opus}
                  code:
                    tier: sonnet
                """ + Self.others
        ).get()
        let writing = try #require(policy.taskTypes["writing"])
        #expect(writing.tiers == [.simple: .haiku, .standard: .sonnet, .hard: .opus])
        #expect(writing.tier(for: .simple) == (.haiku, true))
        #expect(writing.tier(for: .hard) == (.opus, true))
        #expect(writing.tier(for: nil) == (.sonnet, false))
        let code = try #require(policy.taskTypes["code"])
        #expect(code.tiers == nil)
        #expect(code.tier(for: .hard) == (.sonnet, false))
    }

    @Test func tiersThatGoDownAsDifficultyGoesUpAreRefusedWithThePosition() {
        let issues = Self.issues(
            taskTypes: """
                task_types:
                  writing:
                    tier: {simple: sonnet, standard: haiku, hard: opus}
                """ + Self.others + "  code: {tier: sonnet}\n")
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("task-types.yaml:3:11: error: the tiers of task type 'writing' must not go down") == true, "\(issues)")
    }

    @Test func aMissingDifficultyOrAnUnknownOneIsNamed() {
        let issues = Self.issues(
            taskTypes: """
                task_types:
                  writing:
                    tier: {simple: haiku, standrd: sonnet, hard: opus}
                """ + Self.others + "  code: {tier: sonnet}\n")
        #expect(issues.contains { $0.contains("unknown key 'standrd'") && $0.contains("did you mean 'standard'?") })
        #expect(issues.contains { $0.contains("missing required key 'standard'") })
    }

    @Test(arguments: [("economy", 0.35), ("balanced", 0.5), ("quality", 0.7), ("0.8", 0.8)])
    func qualityBiasTakesAPresetOrANumber(value: String, bias: Double) throws {
        let policy = try Self.load(routing: "quality_bias: \(value)\n").get()
        #expect(policy.routing.qualityBias == bias)
    }

    @Test func aBadQualityBiasIsRefused() {
        #expect(
            Self.issues(routing: "quality_bias: balance\n") == [
                "routing.yaml:1:15: error: 'quality_bias' must be a number between 0 and 1 or one of economy, balanced, quality, found 'balance'; did you mean 'balanced'?"
            ])
        #expect(Self.issues(routing: "quality_bias: 1.5\n").first?.contains("must be between 0 and 1") == true)
    }

    @Test func theRouterModelIsOnByDefaultAndCanBeTurnedOff() throws {
        #expect(try Self.load().get().routerModel != nil)
        let off = try Self.load(routing: "difficulty_model: off\nsticky_conversations: 0\n").get()
        #expect(off.routerModel == nil)
        #expect(off.routing.stickyConversations == 0)
    }
}
