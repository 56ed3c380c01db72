import ArgumentParser
import Foundation
import RouterCore

/// `claude-router keys`: make client keys and find the client a key belongs to.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make a new client key, or find the client a key belongs to.",
        discussion: """
            clients.yaml keeps only the SHA-256 of each client's key (lower-case hex), never the key. `keys new` \
            makes a random key, prints it once and prints the lines to paste into clients.yaml; `keys check` \
            hashes a key and names the client it belongs to.
            """,
        subcommands: [KeysNewCommand.self, KeysCheckCommand.self])
}

/// `claude-router keys new CLIENT [--policies DIR]`.
struct KeysNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Print a new random client key (once) and the clients.yaml lines for it.",
        discussion: """
            The key is `crk_` followed by 43 random base-62 characters (256 bits from the system's secure random \
            source). It is shown only here: store it now. The router never stores it; clients.yaml gets its SHA-256. \
            When CLIENT already exists in the policy, the output says which line to replace instead.
            """)

    @Argument(help: "The client's name (letters, digits, '_', '-', '.').")
    var client: String

    @Option(help: "Policy directory (default: the embedded policies).")
    var policies: String?

    func validate() throws {
        guard ClientKey.isValidClientName(client) else {
            throw ValidationError("CLIENT must be 1-64 letters, digits, '_', '-' or '.'")
        }
    }

    func run() async throws {
        let policy = try CommandPolicy.load(policies)
        let key = ClientKey.generate()
        let hash = ClientKey.sha256Hex(key)
        let file = policies.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + "clients.yaml" } ?? "clients.yaml"
        var out = """
            New key for client '\(client)'. It is shown only now: store it (a secret manager, the client's \
            environment); the router keeps only its SHA-256.

                \(key)


            """
        if policy.client(named: client) != nil {
            out += """
                Client '\(client)' already exists in \(file): replace its key_sha256 line with

                    key_sha256: \(hash)

                """
        } else {
            out += """
                Paste into the clients: list of \(file) (then add allowed_tiers, budget, … as needed):

                  - name: \(client)
                    key_sha256: \(hash)

                """
        }
        out += "The router picks the change up on its next policy reload (SIGHUP or file change).\n"
        print(out, terminator: "")
    }
}

/// `claude-router keys check KEY [--policies DIR]`.
struct KeysCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Name the client a key belongs to (exit 0), or say that none has it (exit 1).",
        discussion: """
            Pass `-` as KEY to read the key from standard input (keeps it out of the shell history). The key is \
            hashed and compared with every client's key_sha256 in constant time; the key itself is never printed.
            """)

    @Argument(help: "The key to look up, or '-' to read it from standard input.")
    var key: String

    @Option(help: "Policy directory (default: the embedded policies).")
    var policies: String?

    func run() async throws {
        var presented = key
        if key == "-" {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            presented = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let policy = try CommandPolicy.load(policies)
        let source = policies ?? "the embedded default policy"
        if let client = ClientKey.client(of: presented, in: policy) {
            print("client '\(client.name)' (\(source))")
        } else {
            print("no client in \(source) has this key")
            throw ExitCode(1)
        }
    }
}
