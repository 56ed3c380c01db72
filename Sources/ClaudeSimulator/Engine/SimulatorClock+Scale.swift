extension SimulatorClock {
    /// Real time by default.
    public var timeScale: Double { 1 }
}
