import Foundation

/// What faults a scenario gets: first an exact `sequence` (one fault per request, in order), then, once it is
/// used up, each `random` entry independently with its probability (seeded, so runs repeat).
///
/// JSON: `{"sequence": ["529", "529"], "random": [{"fault": "500", "probability": 0.1}]}`.
/// Header: `x-sim-fault: sequence=529,529` or `x-sim-fault: random=500@0.1,slow:200@0.5`.
public struct FaultProgram: Sendable, Hashable, Codable {
    /// A fault drawn with a probability.
    public struct RandomFault: Sendable, Hashable, Codable {
        /// The fault.
        public var fault: Fault
        /// Its probability per request, 0...1.
        public var probability: Double

        /// A fault with its probability.
        public init(fault: Fault, probability: Double) {
            self.fault = fault
            self.probability = probability
        }
    }

    /// Faults for the next requests, in order.
    public var sequence: [Fault]
    /// Faults drawn at random after the sequence.
    public var random: [RandomFault]

    /// A program; both parts default to empty.
    public init(sequence: [Fault] = [], random: [RandomFault] = []) {
        self.sequence = sequence
        self.random = random
    }

    enum CodingKeys: String, CodingKey { case sequence, random }

    /// Decodes a program; absent parts are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sequence = try c.decodeIfPresent([Fault].self, forKey: .sequence) ?? []
        random = try c.decodeIfPresent([RandomFault].self, forKey: .random) ?? []
    }

    /// Parses the header's program form (`sequence=…` or `random=…`); nil for a single fault or bad text.
    public init?(header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("sequence=") {
            let faults = text.dropFirst("sequence=".count).split(separator: ",").map { Fault(text: String($0)) }
            guard !faults.isEmpty, faults.allSatisfy({ $0 != nil }) else { return nil }
            self.init(sequence: faults.compactMap { $0 })
        } else if text.hasPrefix("random=") {
            var entries: [RandomFault] = []
            for part in text.dropFirst("random=".count).split(separator: ",") {
                let pieces = part.split(separator: "@")
                guard pieces.count == 2, let fault = Fault(text: String(pieces[0])),
                    let p = Double(pieces[1]), (0...1).contains(p)
                else { return nil }
                entries.append(RandomFault(fault: fault, probability: p))
            }
            guard !entries.isEmpty else { return nil }
            self.init(random: entries)
        } else {
            return nil
        }
    }
}
