import Foundation

/// The build tool behind the `EmbedPolicies` plugin: writes a Swift file that holds the given policy files as
/// `EmbeddedPolicies.files` (name and text, in the order given).
///
/// Usage: `PolicyEmbedder OUTPUT.swift POLICY_DIRECTORY NAME…` (names relative to the directory).
@main
struct PolicyEmbedder {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: PolicyEmbedder OUTPUT.swift POLICY_DIRECTORY NAME...\n".utf8))
            exit(2)
        }
        let output = URL(fileURLWithPath: arguments[arguments.startIndex])
        let directory = URL(fileURLWithPath: arguments[arguments.startIndex + 1])
        var swift = """
            // Generated at build time by the EmbedPolicies plugin from policies/.
            // The shipped default policy, so `claude-router serve` runs with no policy directory.

            enum EmbeddedPolicies {
                static let files: [PolicyFile] = [

            """
        for name in arguments.dropFirst(2) {
            let text = try String(contentsOf: directory.appending(path: name), encoding: .utf8)
            swift += "        PolicyFile(name: \(literal(name)), text: \(literal(text))),\n"
        }
        swift += "    ]\n}\n"
        // Rewrite only on change, so an unchanged policy does not recompile the module.
        if (try? String(contentsOf: output, encoding: .utf8)) != swift {
            try swift.write(to: output, atomically: true, encoding: .utf8)
        }
    }

    /// `text` as a raw string literal whose delimiter (`#…#`) appears nowhere in it (nor does an escape `\#…`):
    /// a multi-line one when the text has a line break (the line breaks after `"""` and before the closing `"""`
    /// are not part of the text).
    static func literal(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        guard text.utf8.contains(UInt8(ascii: "\n")) else { return hashes + "\"" + text + "\"" + hashes }
        return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
    }
}
