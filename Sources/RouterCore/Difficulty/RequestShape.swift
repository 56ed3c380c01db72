import Foundation

/// The request's shape as the router model reads it: bins of size, turns, tools and `max_tokens`, and counts taken
/// from the text (code fences, list lines, questions), each a value in 0…1.
///
/// The model's text features say what is asked; these say how much is asked, which is most of what separates a
/// two-line e-mail from a 3,000-word report of the same task type.
enum RequestShape {
    /// The features' names, in the order of `values(of:)`, as explanations show them.
    static let names: [String] = [
        "shape:bias",
        "shape:user<64B", "shape:user<128B", "shape:user<256B", "shape:user<512B", "shape:user<1KB",
        "shape:user<2KB", "shape:user<4KB", "shape:user≥4KB",
        "shape:no-system", "shape:system<256B", "shape:system<1KB", "shape:system<4KB", "shape:system≥4KB",
        "shape:1-turn", "shape:2-3-turns", "shape:4-7-turns", "shape:8+-turns",
        "shape:max_tokens≤256", "shape:max_tokens≤1024", "shape:max_tokens≤4096", "shape:max_tokens>4096",
        "shape:tools", "shape:5+-tools", "shape:images", "shape:documents", "shape:thinking",
        "shape:no-code-block", "shape:1-code-block", "shape:2+-code-blocks",
        "shape:no-list", "shape:1-2-list-lines", "shape:3-5-list-lines", "shape:6+-list-lines",
        "shape:one-line-question", "shape:1-line", "shape:many-lines",
        "shape:log-input-tokens", "shape:log-user-bytes",
    ]

    /// How many shape features there are.
    static var count: Int { names.count }

    // The bins' upper bounds, built once (as literals in `values(of:)` they were built on every prediction).
    static let userBins = [64, 128, 256, 512, 1024, 2048, 4096]
    static let systemBins = [1, 256, 1024, 4096]
    static let turnBins = [2, 4, 8]
    static let maxTokenBins: [Int64] = [257, 1025, 4097]
    static let listBins = [1, 3, 6]

    /// The shape features of `f`, `count` values in the order of `names`.
    static func values(of f: RoutingFeatures) -> [Float] {
        var v = [Float](repeating: 0, count: names.count)
        let text = TextCounts(f.lastUserText)
        v[0] = 1
        v[1 + (Self.userBins.firstIndex { text.bytes < $0 } ?? Self.userBins.count)] = 1
        let systemBytes = f.systemText.utf8.count
        v[9 + (Self.systemBins.firstIndex { systemBytes < $0 } ?? Self.systemBins.count)] = 1
        v[14 + (Self.turnBins.firstIndex { f.turns < $0 } ?? Self.turnBins.count)] = 1
        v[18 + (Self.maxTokenBins.firstIndex { f.maxTokens < $0 } ?? Self.maxTokenBins.count)] = 1
        if f.hasTools { v[22] = 1 }
        if f.toolCount >= 5 { v[23] = 1 }
        if f.hasImages { v[24] = 1 }
        if f.hasDocuments { v[25] = 1 }
        if f.thinking { v[26] = 1 }
        v[27 + min(text.codeFences / 2, 2)] = 1
        v[30 + (Self.listBins.firstIndex { text.listLines < $0 } ?? Self.listBins.count)] = 1
        if text.lines <= 1 && text.questionMarks > 0 && text.bytes < 200 { v[34] = 1 }
        if text.lines <= 1 {
            v[35] = 1
        } else if text.lines > 12 {
            v[36] = 1
        }
        v[37] = min(Float(log1p(Double(max(0, f.estimatedInputTokens)))) / 12, 1.5)
        v[38] = min(Float(log1p(Double(text.bytes))) / 10, 1.5)
        return v
    }
}

/// Counts taken from the last user turn in one pass over its bytes.
struct TextCounts {
    var bytes = 0
    var lines = 0
    var codeFences = 0
    var listLines = 0
    var questionMarks = 0

    init(_ text: String) {
        var text = text
        // The bytes in place: iterating `String.UTF8View` cost several times this loop (perf, RouteBench).
        self = text.withUTF8 { TextCounts(bytes: $0) }
    }

    init(bytes text: UnsafeBufferPointer<UInt8>) {
        var lineStart = true
        var lineHasText = false
        var backticks = 0
        var pendingDigits = false
        for byte in text {
            bytes += 1
            if byte == UInt8(ascii: "`") {
                backticks += 1
                if backticks == 3 { codeFences += 1 }
            } else {
                backticks = 0
            }
            if byte == UInt8(ascii: "?") { questionMarks += 1 }
            if byte == 0x0A {
                if lineHasText { lines += 1 }
                lineStart = true
                lineHasText = false
                pendingDigits = false
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                if pendingDigits { pendingDigits = false; lineStart = false }
                continue
            }
            lineHasText = true
            if lineStart {
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == 0xE2 {  // 0xE2: "•" and dashes
                    listLines += 1
                    lineStart = false
                } else if byte >= 0x30 && byte <= 0x39 {
                    pendingDigits = true
                } else if pendingDigits && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")")) {
                    listLines += 1
                    pendingDigits = false
                    lineStart = false
                } else {
                    pendingDigits = false
                    lineStart = false
                }
            }
        }
        if lineHasText { lines += 1 }
    }
}
