import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct FaultTests {
    @Test(arguments: [(529, "overloaded_error"), (500, "api_error"), (429, "rate_limit_error"), (504, "timeout_error")])
    func singleFaultHeaderFailsThatRequest(status: Int, type: String) async throws {
        try await SimulatorHarness().run { client async throws in
            let reply = try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-fault": String(status)])
            #expect(reply.status == status)
            #expect(reply.json["error"]?["type"] == .string(type))
            #expect(reply.header("x-should-retry") == "true")
            #expect(try await client.call(.post, "/v1/messages", Body.message()).status == 200)
        }
    }

    @Test func headerSequenceIsInstalledOnceAndWalkedByRetries() async throws {
        try await SimulatorHarness().run { client async throws in
            let headers = ["x-sim-fault": "sequence=529,500", "x-sim-scenario": "retry-test"]
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await client.call(.post, "/v1/messages", Body.message(), headers: headers).status) }
            #expect(statuses == [529, 500, 200, 200])
            // Another scenario is untouched.
            #expect(try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-scenario": "other"]).status == 200)
        }
    }

    @Test func adminEndpointProgramsAScenario() async throws {
        try await SimulatorHarness().run { client async throws in
            let program: JSONValue = ["scenario": "s", "sequence": ["429", "ok", "529"]]
            #expect(try await client.call(.post, "/_sim/faults", program, auth: false).status == 200)
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-scenario": "s"]).status)
            }
            #expect(statuses == [429, 200, 529, 200])
            let listed = try await client.call(.get, "/_sim/faults", auth: false)
            #expect(listed.json["data"]?.arrayValue?.first?.int("served") == 4)
            #expect(try await client.call(.delete, "/_sim/faults", auth: false).status == 200)
            #expect(try await client.call(.get, "/_sim/faults", auth: false).json["data"] == [])
        }
    }

    @Test func randomFaultsAreSeededAndRoughlyAtTheirRate() throws {
        let injector = FaultInjector(programs: ["": FaultProgram(random: [.init(fault: .status(529), probability: 0.25)])], seed: 3)
        var failures = 0
        for _ in 0..<2_000 where try injector.next(scenario: "", header: nil) == .status(529) { failures += 1 }
        #expect((400...600).contains(failures))
    }

    @Test func faultTextRoundTrips() {
        for text in ["529", "slow:250", "drop", "stream-error:api_error", "ok"] {
            #expect(Fault(text: text)?.text == text)
        }
        #expect(Fault(text: "banana") == nil)
        #expect(FaultProgram(header: "random=529@0.5,slow:10@0.1")?.random.count == 2)
    }

    @Test func droppedConnectionFailsTheClient() async throws {
        let h = SimulatorHarness()
        _ = try await h.simulator.buildApplication(port: 0).test(.live) { client async throws in
            await #expect(throws: (any Error).self) {
                _ = try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-fault": "drop"])
            }
        }
    }

    @Test func invalidFaultHeaderIsABadRequest() async throws {
        try await SimulatorHarness().run { client async throws in
            #expect(try await client.call(.post, "/v1/messages", Body.message(), headers: ["x-sim-fault": "explode"]).status == 400)
        }
    }
}
