import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird

extension ClaudeSimulator {
    /// `/_sim/…`: program faults, inspect them, reset state. Not part of the Claude API; no key needed.
    func addAdminRoutes(to router: Router<BasicRequestContext>) {
        router.get("/_sim/health") { _, _ in Self.json(["status": "ok"]) }
        router.post("/_sim/faults") { request, _ in
            let body = try await self.jsonBody(request, limit: 1_024 * 1_024)
            let scenario = body["scenario"]?.stringValue ?? ""
            let program: FaultProgram
            do {
                program = try JSONDecoder().decode(FaultProgram.self, from: Data(body.serialized()))
            } catch {
                throw SimulatorError.invalidRequest("fault program: \(error)")
            }
            self.faults.install(program, scenario: scenario)
            return Self.json(["scenario": .string(scenario), "installed": true])
        }
        router.get("/_sim/faults") { _, _ in
            let list: [JSONValue] = self.faults.describe().map { entry in
                [
                    "scenario": .string(entry.scenario),
                    "sequence": .array(entry.program.sequence.map { .string($0.text) }),
                    "random": .array(entry.program.random.map { ["fault": .string($0.fault.text), "probability": .number(JSONNumber($0.probability))] }),
                    "position": .number(JSONNumber(entry.position)),
                    "served": .number(JSONNumber(entry.served)),
                ]
            }
            return Self.json(["data": .array(list)])
        }
        router.delete("/_sim/faults") { request, _ in
            self.faults.remove(scenario: request.uri.queryParameters["scenario"].map(String.init))
            return Self.json(["removed": true])
        }
        router.post("/_sim/reset") { _, _ in
            self.reset()
            return Self.json(["reset": true])
        }
    }
}
