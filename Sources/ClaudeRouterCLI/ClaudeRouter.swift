import ArgumentParser

/// The `claude-router` executable: the composition root, and the only place that reads the environment.
@main
struct ClaudeRouter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-router",
        abstract: "Routes Claude API calls to the cheapest model that does the task well, and accounts for every cent.",
        subcommands: [
            ServeCommand.self, PolicyCommand.self, ReportCommand.self, SimulateCommand.self, KeysCommand.self,
            MigrateCommand.self,
        ]
    )
}
