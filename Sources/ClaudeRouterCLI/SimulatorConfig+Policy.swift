import ClaudeSimulator
import RouterCore

extension SimulatorConfig {
    /// The simulator's default line-up, plus a simulated model for every policy model it does not know.
    static func covering(_ policy: Policy) -> SimulatorConfig {
        var config = SimulatorConfig.default
        for model in policy.models where config.model(named: model.id) == nil {
            config.models.append(
                SimulatedModel(
                    id: model.id, aliases: model.aliases, maxOutputTokens: Int(model.maxOutputTokens),
                    contextWindow: Int(model.contextWindow), minCacheableTokens: Int(model.minCacheableTokens),
                    rateLimitBucket: model.rateLimitBucket))
        }
        return config
    }
}
