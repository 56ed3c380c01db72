public import Foundation

/// Runs a command on a thread of its own and waits without blocking Swift's cooperative pool.
///
/// On a 2-core machine the pool has two threads, and a test blocked in `waitUntilExit` would starve the in-process
/// servers the command talks to. `arguments[0]` is looked up on the `PATH` (through `/usr/bin/env`); standard output
/// and standard error are returned together.
public func runOffThePool(_ arguments: [String], environment: [String: String]? = nil) async -> (
    status: Int32, output: Data
) {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            if let environment { process.environment = environment }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do {
                try process.run()
            } catch {
                continuation.resume(returning: (-1, Data("\(error)".utf8)))
                return
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: (process.terminationStatus, data))
        }
        thread.start()
    }
}
