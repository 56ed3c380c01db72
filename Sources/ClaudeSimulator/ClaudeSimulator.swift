// The ClaudeSimulator module. See ../shared/DESIGN.md for what lives here.
enum ClaudeSimulatorModule {}
