import Yams

/// Keeps YAML anchors and aliases from turning a small policy file into an unbounded amount of work.
///
/// A "billion laughs" file (each anchor a list of aliases of the previous one) is a few lines long, but expands
/// exponentially, and as a mapping key (a complex key) it is hashed expanded while the file is composed. So,
/// before the file reaches the YAML composer, a scan of its text refuses:
/// - more than `maxAliases` alias references (`*name`) in one file;
/// - complex keys: the explicit key indicator (`? `), an alias used as a key, or a flow collection holding an
///   alias used as a key;
/// and after composing, a document that expands (aliases counted as often as they are used) to more than
/// `maxNodes` nodes is refused before anything walks it. Each refusal names the file, line and column.
enum AliasGuard {
    /// Alias references allowed in one file (the shipped policies use none).
    static let maxAliases = 64
    /// Nodes a composed document may expand to (the shipped policies have a few thousand).
    static let maxNodes = 100_000

    /// A refusal at a 1-based line and column.
    struct Problem: Positioned {
        var line: Int
        var column: Int
        var message: String
    }

    /// Scans the text for alias references and complex keys; nil when the file may be composed.
    static func scan(_ text: String) -> Problem? {
        var aliases = 0
        var inSingle = false
        var inDouble = false
        var flowDepth = 0
        var blockScalarIndent: Int?
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let chars = Array(line.unicodeScalars)
            let indent = chars.prefix { $0 == " " }.count
            if let parent = blockScalarIndent {
                // Inside a literal or folded block scalar: more indented (or blank) lines are its text.
                if indent > parent || chars.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
                blockScalarIndent = nil
            }
            var aliasInFlowBeforeSeparator: Int?
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if inDouble {
                    if c == "\\" {
                        i += 2
                        continue
                    }
                    if c == "\"" { inDouble = false }
                    i += 1
                    continue
                }
                if inSingle {
                    if c == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" {
                            i += 2
                            continue
                        }
                        inSingle = false
                    }
                    i += 1
                    continue
                }
                let tokenStart = i == 0 || [" ", "\t", "[", "{", ","].contains(chars[i - 1])
                let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
                let nextIsBlank = next == nil || next == " " || next == "\t" || next == "\r"
                switch c {
                case "#" where tokenStart:
                    i = chars.count
                    continue
                case "\"" where tokenStart: inDouble = true
                case "'" where tokenStart: inSingle = true
                case "[" where tokenStart, "{" where tokenStart: flowDepth += 1
                case "]" where flowDepth > 0, "}" where flowDepth > 0: flowDepth -= 1
                case "," where flowDepth > 0: aliasInFlowBeforeSeparator = nil
                case "?" where tokenStart && nextIsBlank:
                    return Problem(
                        line: lineNumber, column: i + 1,
                        message: "complex keys ('? ') are not allowed in policy files")
                case "|", ">":
                    if tokenStart, Self.startsBlockScalar(chars[(i + 1)...]) {
                        blockScalarIndent = indent
                        i = chars.count
                        continue
                    }
                case ":" where nextIsBlank:
                    if let column = aliasInFlowBeforeSeparator {
                        return Problem(
                            line: lineNumber, column: column,
                            message: "an alias inside a mapping key is not allowed in policy files")
                    }
                case "*" where tokenStart:
                    aliases += 1
                    if aliases > maxAliases {
                        return Problem(
                            line: lineNumber, column: i + 1,
                            message: "more than \(maxAliases) aliases in one file (an alias bomb?)")
                    }
                    // The alias name runs to a blank or a flow indicator; a ':' right after it makes it a key.
                    var j = i + 1
                    while j < chars.count, ![" ", "\t", ",", "[", "]", "{", "}", "\r"].contains(chars[j]) { j += 1 }
                    var k = j
                    while k < chars.count, chars[k] == " " { k += 1 }
                    if k < chars.count, chars[k] == ":" {
                        return Problem(
                            line: lineNumber, column: i + 1,
                            message: "an alias used as a mapping key is not allowed in policy files")
                    }
                    if flowDepth > 0, aliasInFlowBeforeSeparator == nil { aliasInFlowBeforeSeparator = i + 1 }
                    i = j
                    continue
                default: break
                }
                if c == ":" && nextIsBlank && flowDepth == 0 { aliasInFlowBeforeSeparator = nil }
                i += 1
            }
            if flowDepth == 0 { aliasInFlowBeforeSeparator = nil }
        }
        return nil
    }

    /// Whether what follows a `|` or `>` is a block scalar header: indentation/chomping indicators, then blanks
    /// or a comment to the end of the line.
    static func startsBlockScalar(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        var sawBlank = false
        for c in rest {
            if c == " " || c == "\t" || c == "\r" {
                sawBlank = true
                continue
            }
            if c == "#" { return sawBlank }
            if sawBlank || !(c == "-" || c == "+" || ("1"..."9").contains(c)) { return false }
        }
        return true
    }

    /// The position of the node at which a document's expansion passes `maxNodes`, or nil when it stays within.
    static func firstNodeBeyondLimit(_ root: Node, limit: Int = maxNodes) -> Problem? {
        var count = 0
        var stack: [Node] = [root]
        while let node = stack.popLast() {
            count += 1
            if count > limit {
                let mark = node.mark ?? root.mark
                return Problem(
                    line: mark?.line ?? 1, column: mark?.column ?? 1,
                    message: "the document expands to more than \(limit) nodes through its aliases (an alias bomb?)")
            }
            if let sequence = node.sequence {
                stack.append(contentsOf: sequence)
            } else if let mapping = node.mapping {
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            }
        }
        return nil
    }
}
