enum ClaudeAPIModule {}
