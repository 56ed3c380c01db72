import Foundation
public import ClaudeAPI
public import RouterCore

/// One hand-labelled request of `Evaluation/routing/labels/*.jsonl`: the request, the least tier that is enough,
/// and the tiers that are acceptable for it.
public struct LabelledRequest: Sendable {
    /// `<source>:<source id>`, e.g. `mbpp:11`.
    public var id: String
    /// The public prompt set or `handwritten`.
    public var source: String
    /// `train` or `heldout`, fixed by the id's hash; nothing but reports reads `heldout`.
    public var split: String
    /// Whether the request is everyday traffic (short e-mails, rewrites, everyday questions, small code questions).
    public var everyday: Bool
    /// The labelled task type.
    public var taskType: String
    /// The least tier that is enough.
    public var tier: Tier
    /// The tiers that serve the request well enough.
    public var acceptable: Set<Tier>
    /// The Messages API request body.
    public var request: JSONObject
    /// Why the labeller chose the tier.
    public var note: String

    /// The request's routing features, as the service extracts them.
    public var features: RoutingFeatures { RoutingFeatures(request: request, client: "") }
}

/// A line of a labels file that is not a labelled request.
public struct LabelParseError: Error, Sendable, CustomStringConvertible {
    /// `file:line: message`.
    public var description: String
}

extension LabelledRequest {
    /// Parses a JSONL labels file; blank lines are skipped.
    /// - Throws: `LabelParseError` naming the file and line of the first bad line.
    public static func parseJSONL(_ text: String, file: String) throws(LabelParseError) -> [LabelledRequest] {
        var out: [LabelledRequest] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            func fail(_ message: String) -> LabelParseError {
                LabelParseError(description: "\(file):\(number + 1): \(message)")
            }
            guard let value = try? JSONValue.parse(String(line)), let object = value.objectValue else {
                throw fail("not a JSON object")
            }
            func string(_ key: String) throws(LabelParseError) -> String {
                guard let s = object[key]?.stringValue else { throw fail("missing string field \"\(key)\"") }
                return s
            }
            guard let tier = Tier(rawValue: try string("tier")) else { throw fail("\"tier\" must be haiku, sonnet or opus") }
            var acceptable = Set<Tier>()
            for item in object["acceptable"]?.arrayValue ?? [] {
                guard let t = item.stringValue.flatMap(Tier.init(rawValue:)) else {
                    throw fail("\"acceptable\" must list haiku, sonnet or opus")
                }
                acceptable.insert(t)
            }
            acceptable.insert(tier)
            guard let request = object["request"]?.objectValue, request["messages"]?.arrayValue != nil else {
                throw fail("\"request\" must be a Messages API request with \"messages\"")
            }
            out.append(
                LabelledRequest(
                    id: try string("id"), source: object["source"]?.stringValue ?? "",
                    split: try string("split"), everyday: object["everyday"]?.boolValue ?? false,
                    taskType: try string("task_type"), tier: tier, acceptable: acceptable, request: request,
                    note: object["note"]?.stringValue ?? ""))
        }
        return out
    }
}

extension LabelledRequest {
    /// Every labelled request of `paths` (JSONL files, or directories whose `*.jsonl` files are read in name
    /// order), the first of each id kept.
    /// - Throws: `LabelParseError` for an unreadable path or a bad line.
    public static func load(paths: [String]) throws(LabelParseError) -> [LabelledRequest] {
        var seen = Set<String>()
        var out: [LabelledRequest] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw LabelParseError(description: "\(path): no such file or directory")
            }
            var files = [path]
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files = names.filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw LabelParseError(description: "\(file): cannot read the file")
                }
                for label in try parseJSONL(String(decoding: data, as: UTF8.self), file: file)
                where seen.insert(label.id).inserted {
                    out.append(label)
                }
            }
        }
        return out
    }
}
