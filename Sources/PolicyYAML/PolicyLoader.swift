import Foundation
#if canImport(Glibc)
import Glibc
#endif
public import RouterCore
import Yams

/// Loads `policies/*.yaml` into a validated `Policy`, or reports every problem with its file, line and column.
///
/// Files: `models.yaml`, `task-types.yaml`, `classifier.yaml`, `routing.yaml` and `clients.yaml` are required;
/// `cache.yaml`, `batches.yaml` and `limits.yaml` are optional (defaults apply); labelled examples for the
/// statistical classifier are `*.jsonl` files in the directory `classifier.yaml` names (`examples/`). Any other
/// `.yaml` file is an error. A policy with any problem does not load at all.
public enum PolicyLoader {
    /// Files every policy must have.
    public static let requiredFiles = [
        "models.yaml", "task-types.yaml", "classifier.yaml", "routing.yaml", "clients.yaml",
    ]
    /// Files a policy may have.
    public static let optionalFiles = ["cache.yaml", "batches.yaml", "limits.yaml"]

    /// Reads and validates the policy in `directory`.
    /// - Throws: `PolicyLoadError` with every problem found (including an unreadable directory).
    public static func load(directory: String) throws(PolicyLoadError) -> Policy {
        try load(files: readFiles(directory: directory))
    }

    /// Reads the policy's files: every `*.yaml`/`*.yml` at the top of `directory` and every `*.jsonl` one level
    /// below it, sorted by name.
    /// - Throws: `PolicyLoadError` when the directory or a file cannot be read.
    public static func readFiles(directory: String) throws(PolicyLoadError) -> [PolicyFile] {
        let base = URL(fileURLWithPath: directory)
        var files: [PolicyFile] = []
        var issues: [PolicyIssue] = []
        for name in try fileNames(directory: directory) {
            guard let data = FileManager.default.contents(atPath: base.appendingPathComponent(name).path),
                let text = String(data: data, encoding: .utf8)
            else {
                issues.append(
                    PolicyIssue(file: name, line: 0, column: 0, message: "cannot read the file as UTF-8 text"))
                continue
            }
            files.append(PolicyFile(name: name, text: text))
        }
        guard issues.isEmpty else { throw PolicyLoadError(issues: issues) }
        return files.sorted { $0.name < $1.name }
    }

    /// What `stat(2)` says of the files `readFiles` would read, or nil when the directory cannot be listed.
    ///
    /// A reload poll compares it with the last one before reading and hashing every file: an edit, a rename or a
    /// file replaced by `mv` changes a status-change time, which no program can set back.
    public static func fingerprint(directory: String) -> PolicyFingerprint? {
        guard let names = try? fileNames(directory: directory) else { return nil }
        let base = URL(fileURLWithPath: directory)
        var newest = 0
        let entries = names.map { name in
            var info = stat()
            guard stat(base.appendingPathComponent(name).path, &info) == 0 else { return "\(name) unreadable" }
            newest = max(newest, info.st_mtim.tv_sec, info.st_ctim.tv_sec)
            return "\(name) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                + " \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }
        return PolicyFingerprint(entries: entries, newestChangeSeconds: newest)
    }

    /// The names of the policy's files, relative to `directory`: the `*.yaml`/`*.yml` at its top and the `*.jsonl`
    /// one level below, in name order (hidden entries skipped).
    private static func fileNames(directory: String) throws(PolicyLoadError) -> [String] {
        let fm = FileManager.default
        let base = URL(fileURLWithPath: directory)
        guard let top = try? fm.contentsOfDirectory(atPath: directory) else {
            throw PolicyLoadError(issues: [
                PolicyIssue(file: directory, line: 0, column: 0, message: "cannot read the policy directory")
            ])
        }
        var names: [String] = []
        for entry in top.sorted() where !entry.hasPrefix(".") {
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: base.appendingPathComponent(entry).path, isDirectory: &isDir)
            if isDir.boolValue {
                let inner = (try? fm.contentsOfDirectory(atPath: base.appendingPathComponent(entry).path)) ?? []
                names += inner.filter { $0.hasSuffix(".jsonl") }.sorted().map { "\(entry)/\($0)" }
            } else if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                names.append(entry)
            }
        }
        return names
    }

    /// Validates `files` and builds the policy.
    /// - Throws: `PolicyLoadError` with every problem found.
    public static func load(files: [PolicyFile]) throws(PolicyLoadError) -> Policy {
        let parser = PolicyParser(files: files)
        guard let policy = parser.build(contentHash: contentHash(of: files)) else {
            throw PolicyLoadError(issues: parser.diag.issues)
        }
        return policy
    }

    /// Lower-case hex SHA-256 over the files in name order; each contributes its name, a NUL, its UTF-8 bytes and
    /// a NUL, so renaming a file changes the hash as much as editing it.
    public static func contentHash(of files: [PolicyFile]) -> String {
        var bytes: [UInt8] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            bytes += Array(file.name.utf8)
            bytes.append(0)
            bytes += Array(file.text.utf8)
            bytes.append(0)
        }
        return SHA256.hex(bytes)
    }

    /// The shipped default policy (`policies/` of the source tree, embedded at build time).
    public static func embeddedDefaults() -> Policy {
        do {
            return try load(files: EmbeddedPolicies.files)
        } catch {
            // A test loads the embedded files and compares them with policies/ on disk, so this cannot ship broken.
            fatalError("the embedded default policy is invalid:\n\(error)")
        }
    }

    /// The shipped default policy's files.
    public static var embeddedFiles: [PolicyFile] { EmbeddedPolicies.files }

    /// Parses one YAML file into its node tree, reporting syntax errors and duplicate keys.
    ///
    /// Yams 6 rejects duplicate keys with one error per parse; to report all of them, the second occurrence is renamed
    /// in a copy of the text and the parse is repeated (bounded by the file's line count).
    static func compose(_ file: PolicyFile, diag: Diagnostics) -> Node? {
        // Aliases and complex keys are bounded before the composer sees the text (see AliasGuard).
        if let problem = AliasGuard.scan(file.text) {
            diag.error(file.name, problem, problem.message)
            return nil
        }
        guard let node = composeChecked(file, diag: diag) else { return nil }
        if let problem = AliasGuard.firstNodeBeyondLimit(node) {
            diag.error(file.name, problem, problem.message)
            return nil
        }
        return node
    }

    /// Composes a file the alias guard has passed, reporting syntax errors and every duplicate key.
    static func composeChecked(_ file: PolicyFile, diag: Diagnostics) -> Node? {
        var text = file.text
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for round in 0...lines.count {
            do {
                return try Yams.compose(yaml: text)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let key = duplicates.first ?? ""
                let first = context.mark
                if let (line, column) = secondOccurrence(of: key, after: first, in: lines) {
                    diag.error(
                        file.name, Loc(line + 1, column + 1),
                        "duplicate key '\(key)' (first defined at line \(first.line), column \(first.column))")
                    var chars = Array(lines[line].unicodeScalars)
                    let replacement = Array("\(duplicateKeyMarker)\(round)_".unicodeScalars)
                    chars.replaceSubrange(column..<column + key.unicodeScalars.count, with: replacement)
                    lines[line] = String(String.UnicodeScalarView(chars))
                    text = lines.joined(separator: "\n")
                } else {
                    diag.error(file.name, first, "duplicate key '\(key)'")
                    return nil
                }
            } catch let YamlError.scanner(context, problem, mark, _) {
                diag.error(file.name, mark, "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")")
                return nil
            } catch let YamlError.parser(context, problem, mark, _) {
                diag.error(file.name, mark, "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")")
                return nil
            } catch let YamlError.composer(context, problem, mark, _) {
                diag.error(file.name, mark, "YAML: \(problem)\(context.map { " \($0.text)" } ?? "")")
                return nil
            } catch {
                diag.error(file.name, Loc(1, 1), "YAML: \(error)")
                return nil
            }
        }
        return nil
    }

    /// The 0-based line and column of the next occurrence of `key:` after `mark`, at the same indentation (block
    /// mappings) or later on the same line (flow mappings).
    static func secondOccurrence(of key: String, after mark: Mark, in lines: [String]) -> (Int, Int)? {
        let indent = mark.column - 1
        func keyAt(_ scalars: [Unicode.Scalar], _ col: Int) -> Bool {
            let k = Array(key.unicodeScalars)
            for quote in ["", "\"", "'"] {
                let q = Array(quote.unicodeScalars)
                let start = col + q.count
                guard col + q.count * 2 + k.count <= scalars.count,
                    Array(scalars[col..<col + q.count]) == q, Array(scalars[start..<start + k.count]) == k,
                    Array(scalars[start + k.count..<start + k.count + q.count]) == q
                else { continue }
                var j = start + k.count + q.count
                while j < scalars.count, scalars[j] == " " { j += 1 }
                if j < scalars.count, scalars[j] == ":" { return true }
            }
            return false
        }
        let firstLine = mark.line - 1
        guard firstLine >= 0, firstLine < lines.count else { return nil }
        let same = Array(lines[firstLine].unicodeScalars)
        var col = indent + 1
        while col < same.count {
            if (same[col - 1] == " " || same[col - 1] == "," || same[col - 1] == "{"), keyAt(same, col) {
                return (firstLine, col)
            }
            col += 1
        }
        for line in (firstLine + 1)..<lines.count {
            let scalars = Array(lines[line].unicodeScalars)
            let leading = scalars.prefix { $0 == " " }.count
            if leading < indent, leading < scalars.count, scalars[leading] != "#" { return nil }
            if leading == indent, keyAt(scalars, indent) { return (line, indent) }
        }
        return nil
    }
}

/// The policy files' names, inodes, sizes and change times (`PolicyLoader.fingerprint(directory:)`).
public struct PolicyFingerprint: Equatable, Sendable {
    /// One line per file, in name order.
    public let entries: [String]
    /// The latest modification or status-change time among the files, in seconds since 1970.
    public let newestChangeSeconds: Int

    /// Whether two fingerprints being equal shows the files unchanged, `nowSeconds` being the time it was taken.
    ///
    /// A file changed in the last two seconds may change again within the file system's timestamp granularity
    /// (a few milliseconds, or a second on some) with its size unchanged, leaving its fingerprint the same; until
    /// its times are older than that, only reading it tells (git's "racily clean" rule).
    public func isSettled(nowSeconds: Int) -> Bool { newestChangeSeconds < nowSeconds - 2 }
}
