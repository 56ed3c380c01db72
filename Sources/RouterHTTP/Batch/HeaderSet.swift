import Foundation

/// The pass-through request headers that change what the API does (`anthropic-beta`, a non-default
/// `anthropic-version`), kept with a deferred task so its batch is created with them.
///
/// A header on `POST /v1/messages/batches` applies to every request in the batch, so tasks are packed only with
/// tasks of the same set; the canonical text (`DeferredTask.headers`) is what the queue groups by. Beta names are
/// trimmed, de-duplicated and sorted, so `a, b` and `b,a` are one set. The default version adds nothing.
struct HeaderSet: Sendable, Hashable {
    /// The `anthropic-version` the router sends when the client named none.
    static let defaultVersion = "2023-06-01"

    /// `anthropic-beta` names, sorted.
    var betas: [String]
    /// A non-default `anthropic-version`, or nil.
    var version: String?

    /// The set carried by a call's forwarded headers.
    init(forwarded: [(name: String, value: String)]) {
        var betas = Set<String>()
        var version: String?
        for (name, value) in forwarded {
            switch name.lowercased() {
            case "anthropic-beta":
                for part in value.split(separator: ",") {
                    let beta = part.trimmingCharacters(in: .whitespaces)
                    if !beta.isEmpty { betas.insert(beta) }
                }
            case "anthropic-version":
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                version = trimmed.isEmpty || trimmed == Self.defaultVersion ? nil : trimmed
            default:
                continue
            }
        }
        self.betas = betas.sorted()
        self.version = version
    }

    /// Reads the canonical text back; unknown lines are ignored.
    init(canonical: String) {
        var forwarded: [(name: String, value: String)] = []
        for line in canonical.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            forwarded.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            )
        }
        self.init(forwarded: forwarded)
    }

    /// `anthropic-beta: a,b\nanthropic-version: …`, names in order; empty when there is nothing to carry.
    var canonical: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// The headers to send: `anthropic-beta` when there are betas, `anthropic-version` when it is not the default.
    var fields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        if !betas.isEmpty { fields.append(("anthropic-beta", betas.joined(separator: ","))) }
        if let version { fields.append(("anthropic-version", version)) }
        return fields
    }

    /// The headers of an API call with this set: the version (this set's, or the default), the betas, JSON.
    var apiHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("anthropic-version", version ?? Self.defaultVersion)]
        if !betas.isEmpty { headers.append(("anthropic-beta", betas.joined(separator: ","))) }
        headers.append(("content-type", "application/json"))
        return headers
    }
}
