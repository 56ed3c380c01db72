import RouterCore
import Yams

/// Reads one YAML mapping with typed accessors that report wrong types, missing and unknown keys.
struct MapReader {
    let file: String
    let node: Node
    let pairs: [(key: String, keyNode: Node, value: Node)]
    let diag: Diagnostics

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: Node, file: String, diag: Diagnostics, what: String) {
        guard let mapping = node.mapping else {
            diag.error(file, node.mark, "\(what) must be a mapping of keys to values, found \(node.kindName)")
            return nil
        }
        self.file = file
        self.node = node
        self.diag = diag
        self.pairs = mapping.map { (key: $0.key.scalar?.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    /// Reports every key not in `known`, suggesting the nearest known key; a `retired` key is told what replaced it
    /// (`retired[key]`).
    func allowOnly(_ known: [String], in what: String, retired: [String: String] = [:]) {
        for pair in pairs where !known.contains(pair.key) && !pair.key.hasPrefix(duplicateKeyMarker) {
            if let replacement = retired[pair.key] {
                diag.error(file, pair.keyNode.mark, "'\(pair.key)' is no longer a \(what) key; use \(replacement)")
                continue
            }
            var message = "unknown key '\(pair.key)' in \(what)"
            if let s = EditDistance.suggestion(for: pair.key, among: known) {
                message += "; did you mean '\(s)'?"
            } else {
                message += "; known keys: \(known.joined(separator: ", "))"
            }
            diag.error(file, pair.keyNode.mark, message)
        }
    }

    var keys: [String] { pairs.map(\.key).filter { !$0.hasPrefix(duplicateKeyMarker) } }

    /// The value of `key`, reporting it when required and absent.
    func value(_ key: String, required: Bool = false) -> Node? {
        if let pair = pairs.first(where: { $0.key == key }), !pair.value.isNull { return pair.value }
        if required { diag.error(file, node.mark, "missing required key '\(key)'") }
        return nil
    }

    func keyMark(_ key: String) -> Mark? { pairs.first { $0.key == key }?.keyNode.mark }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key, required: required) else { return nil }
        guard let s = v.scalar else {
            diag.error(file, v.mark, "'\(key)' must be a text value, found \(v.kindName)")
            return nil
        }
        return s.string
    }

    func int(_ key: String, required: Bool = false, min: Int64 = 0) -> Int64? {
        guard let v = value(key, required: required) else { return nil }
        let text = v.scalar?.string.replacingUnderscores ?? ""
        guard v.scalar != nil, let n = Int64(text) else {
            diag.error(file, v.mark, "'\(key)' must be a whole number, found \(v.kindName)")
            return nil
        }
        guard n >= min else {
            diag.error(file, v.mark, "'\(key)' must be at least \(min), found \(n)")
            return nil
        }
        return n
    }

    /// A whole number from `min` to `max`. Above `max` it reports `'key' must be at most max`, followed by ` (why)`
    /// when `why` is given and by `, found n` when `showFound`, and gives nil.
    func int(_ key: String, min: Int64 = 0, max: Int64, why: String? = nil, showFound: Bool = false) -> Int64? {
        guard let n = int(key, min: min) else { return nil }
        guard n <= max else {
            var message = "'\(key)' must be at most \(max)"
            if let why { message += " (\(why))" }
            if showFound { message += ", found \(n)" }
            diag.error(file, value(key)?.mark, message)
            return nil
        }
        return n
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let v = value(key, required: required) else { return nil }
        switch v.scalar?.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            diag.error(file, v.mark, "'\(key)' must be true or false, found \(v.kindName)")
            return nil
        }
    }

    /// A number in `range` (used for confidences).
    func fraction(_ key: String, required: Bool = false) -> Double? {
        guard let v = value(key, required: required) else { return nil }
        guard let s = v.scalar?.string, let d = Double(s), d.isFinite else {
            diag.error(file, v.mark, "'\(key)' must be a number between 0 and 1, found \(v.kindName)")
            return nil
        }
        guard (0...1).contains(d) else {
            diag.error(file, v.mark, "'\(key)' must be between 0 and 1, found \(s)")
            return nil
        }
        return d
    }

    /// A non-negative amount of US dollars, exact to nine decimals.
    func money(_ key: String) -> Money? {
        guard let v = value(key) else { return nil }
        let text = v.scalar?.string ?? ""
        guard v.scalar != nil, let m = Money(dollars: text) else {
            diag.error(file, v.mark, "'\(key)' must be an amount of US dollars such as 12.50, found \(v.kindName)")
            return nil
        }
        guard m.nanoUSD >= 0 else {
            diag.error(file, v.mark, "'\(key)' must not be negative, found \(text)")
            return nil
        }
        return m
    }

    /// A non-negative price in US dollars per million tokens (at most six decimals).
    func price(_ key: String, required: Bool = false) -> PerMillionPrice? {
        guard let v = value(key, required: required) else { return nil }
        let text = v.scalar?.string ?? ""
        if text.hasPrefix("-"), PerMillionPrice(usd: String(text.dropFirst())) != nil {
            diag.error(file, v.mark, "negative price \(text) for '\(key)'; prices are US dollars per million tokens")
            return nil
        }
        guard v.scalar != nil, let p = PerMillionPrice(usd: text) else {
            diag.error(
                file, v.mark,
                "'\(key)' must be US dollars per million tokens with at most six decimals, found \(v.kindName)")
            return nil
        }
        return p
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = false) -> T?
    where T.RawValue == String {
        guard let s = string(key, required: required) else { return nil }
        if let t = T(rawValue: s) { return t }
        let names = T.allCases.map(\.rawValue)
        var message = "'\(key)' must be one of \(names.joined(separator: ", ")), found '\(s)'"
        if let hint = EditDistance.suggestion(for: s, among: names) { message += "; did you mean '\(hint)'?" }
        diag.error(file, value(key)?.mark, message)
        return nil
    }

    func tier(_ key: String, required: Bool = false) -> Tier? { oneOf(key, Tier.self, required: required) }

    /// A list of text values with each item's mark; a single scalar counts as a one-item list.
    func stringList(_ key: String, required: Bool = false) -> [(String, Mark?)]? {
        guard let v = value(key, required: required) else { return nil }
        if let s = v.scalar { return [(s.string, v.mark)] }
        guard let seq = v.sequence else {
            diag.error(file, v.mark, "'\(key)' must be a list, found \(v.kindName)")
            return nil
        }
        var out: [(String, Mark?)] = []
        for item in seq {
            guard let s = item.scalar else {
                diag.error(file, item.mark, "items of '\(key)' must be text values, found \(item.kindName)")
                continue
            }
            out.append((s.string, item.mark))
        }
        return out
    }

    /// A list of mappings (for `models`, `rules`, …).
    func mappingList(_ key: String, required: Bool = false, what: String) -> [MapReader] {
        guard let v = value(key, required: required) else { return [] }
        guard let seq = v.sequence else {
            diag.error(file, v.mark, "'\(key)' must be a list, found \(v.kindName)")
            return []
        }
        return seq.compactMap { MapReader($0, file: file, diag: diag, what: what) }
    }

    func mapping(_ key: String, required: Bool = false, what: String) -> MapReader? {
        guard let v = value(key, required: required) else { return nil }
        return MapReader(v, file: file, diag: diag, what: what)
    }
}

extension String {
    var replacingUnderscores: String { filter { $0 != "_" } }
}
