import Synchronization

/// Decides which fault, if any, each request gets, from per-scenario programs.
///
/// A header program (`sequence=…`, `random=…`) is installed the first time its scenario is seen and ignored on
/// later requests, so an SDK resending the same headers on retries walks through the sequence instead of
/// restarting it. A single-fault header (`x-sim-fault: 529`) applies to that request only.
/// A final class around a `Mutex` because all requests share the programs.
final class FaultInjector: Sendable {
    private struct Running {
        var program: FaultProgram
        var position = 0
        var generator: SeededGenerator
        var served = 0
    }

    private let seed: UInt64
    private let programs: Mutex<[String: Running]>

    init(programs initial: [String: FaultProgram], seed: UInt64) {
        self.seed = seed
        var running: [String: Running] = [:]
        for (scenario, program) in initial {
            running[scenario] = Running(program: program, generator: Self.generator(seed, scenario))
        }
        programs = Mutex(running)
    }

    private static func generator(_ seed: UInt64, _ scenario: String) -> SeededGenerator {
        var hash = StableHash()
        hash.combine(seed)
        hash.combine(scenario)
        return SeededGenerator(seed: hash.value)
    }

    /// The fault for a request of `scenario` carrying the `x-sim-fault` header value `header` (if any).
    ///
    /// - Throws: `SimulatorError` 400 when the header is not a fault or a program.
    func next(scenario: String, header: String?) throws(SimulatorError) -> Fault {
        var headerProgram: FaultProgram?
        if let header {
            if let program = FaultProgram(header: header) {
                headerProgram = program
            } else if let fault = Fault(text: header) {
                return fault
            } else {
                throw .invalidRequest("x-sim-fault: cannot parse '\(header)'")
            }
        }
        return programs.withLock { programs in
            if programs[scenario] == nil, let headerProgram {
                programs[scenario] = Running(program: headerProgram, generator: Self.generator(seed, scenario))
            }
            guard var running = programs[scenario] else { return .none }
            defer { programs[scenario] = running }
            running.served += 1
            if running.position < running.program.sequence.count {
                running.position += 1
                return running.program.sequence[running.position - 1]
            }
            for entry in running.program.random {
                let draw = Double(running.generator.next() >> 11) / Double(1 << 53)
                if draw < entry.probability { return entry.fault }
            }
            return .none
        }
    }

    /// Installs (or replaces) a scenario's program.
    func install(_ program: FaultProgram, scenario: String) {
        programs.withLock { $0[scenario] = Running(program: program, generator: Self.generator(seed, scenario)) }
    }

    /// Removes one scenario's program, or all of them.
    func remove(scenario: String?) {
        programs.withLock { programs in
            if let scenario { programs[scenario] = nil } else { programs.removeAll() }
        }
    }

    /// Each scenario with its program and how far it has gone (for `GET /_sim/faults`).
    func describe() -> [(scenario: String, program: FaultProgram, position: Int, served: Int)] {
        programs.withLock { programs in
            programs.map { ($0.key, $0.value.program, $0.value.position, $0.value.served) }
                .sorted { $0.scenario < $1.scenario }
        }
    }
}
