import ClaudeAPI
public import RouterCore

/// One request of a replayed trace: arrival, client, and its prompt as a sequence of content blocks.
///
/// Each block is one position for the API's 20-block lookback. A block that ends a section (tools, system, a
/// message) is a candidate breakpoint of the kind the router would give it; equal leading block ids mean a
/// shared prefix. A Mooncake-format trace (`parseJSONL`) becomes one 512-token block per `hash_ids` entry, each
/// a boundary, the last one ending the conversation; the generators of `TrafficShape` build blocks per message.
public struct TraceRequest: Sendable, Hashable {
    /// One content block.
    public struct Block: Sendable, Hashable {
        /// Content id: equal ids at equal positions after an equal prefix mean equal content.
        public var id: Int
        /// Tokens in the block.
        public var tokens: Int
        /// The boundary this block ends, or nil when it is not the last cacheable block of a section.
        public var kind: CacheBoundaryKind?

        /// Creates a block.
        public init(id: Int, tokens: Int, kind: CacheBoundaryKind?) {
            self.id = id
            self.tokens = tokens
            self.kind = kind
        }
    }

    /// Arrival in milliseconds from the start of the trace.
    public var timestampMillis: Int64
    /// The client that sent it (per-client learning and policy); empty in Mooncake traces.
    public var client: String
    /// Completion tokens.
    public var outputLength: Int
    /// The prompt's content blocks, in tools → system → messages order.
    public var blocks: [Block]

    /// Tokens per block in the Mooncake traces.
    public static let blockTokens = 512

    /// Creates a request from its blocks.
    public init(timestampMillis: Int64, client: String = "", outputLength: Int = 0, blocks: [Block]) {
        self.timestampMillis = timestampMillis
        self.client = client
        self.outputLength = outputLength
        self.blocks = blocks
    }

    /// Creates a Mooncake-format request: `hashIDs` are 512-token blocks, the last holding the remainder.
    public init(timestampMillis: Int64, inputLength: Int, outputLength: Int, hashIDs: [Int], client: String = "") {
        let blocks = hashIDs.enumerated().map { index, id in
            Block(
                id: id, tokens: max(0, min(Self.blockTokens, inputLength - index * Self.blockTokens)),
                kind: index == hashIDs.count - 1 ? .conversation : .message)
        }
        self.init(timestampMillis: timestampMillis, client: client, outputLength: outputLength, blocks: blocks)
    }

    /// Prompt tokens.
    public var inputLength: Int { blocks.reduce(0) { $0 + $1.tokens } }

    /// The block ids, in order.
    public var hashIDs: [Int] { blocks.map(\.id) }

    /// A parse failure, with the 1-based line.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The line that failed.
        public var line: Int
        /// What was wrong.
        public var message: String
        /// `line N: message`.
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses JSON Lines of `{"timestamp", "input_length", "output_length", "hash_ids"}`; blank lines are skipped.
    public static func parseJSONL(_ text: String) throws(ParseError) -> [TraceRequest] {
        var requests: [TraceRequest] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do { value = try JSONValue.parse(String(line)) } catch {
                throw ParseError(line: index + 1, message: error.description)
            }
            guard let timestamp = value["timestamp"]?.doubleValue, let input = value["input_length"]?.intValue,
                let ids = value["hash_ids"]?.arrayValue
            else {
                throw ParseError(line: index + 1, message: "needs timestamp, input_length and hash_ids")
            }
            let hashIDs = ids.compactMap(\.intValue)
            guard hashIDs.count == ids.count, !hashIDs.isEmpty else {
                throw ParseError(line: index + 1, message: "hash_ids must be a non-empty array of integers")
            }
            guard input >= 0, timestamp.isFinite, abs(timestamp) < 1e15 else {
                throw ParseError(line: index + 1, message: "timestamp and input_length must be in range")
            }
            requests.append(
                TraceRequest(
                    timestampMillis: Int64(timestamp), inputLength: input,
                    outputLength: value["output_length"]?.intValue ?? 0, hashIDs: hashIDs))
        }
        return requests
    }

    /// The hash of the prefix ending at each block: a running mix of the block ids, so equal leading ids give
    /// equal hashes and nothing else does (up to 64-bit collisions).
    public var prefixHashes: [UInt64] {
        var hash: UInt64 = 0x6A09_E667_F3BC_C908
        return blocks.map { block in
            var x = hash ^ (UInt64(bitPattern: Int64(block.id)) &+ 0x9E37_79B9_7F4A_7C15)
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            hash = x ^ (x >> 31)
            return hash
        }
    }

    /// The tokens of the prefix ending at each block.
    public var prefixTokens: [Int] {
        var total = 0
        return blocks.map {
            total += $0.tokens
            return total
        }
    }

    /// The planner's view of this request: a boundary after every block that ends a section, with token counts
    /// as the router would estimate them (`estimateScale` × the real count).
    public func features(
        model: String, prefixHashes: [UInt64], prefixTokens: [Int], estimateScale: Double = 1
    ) -> CacheRequestFeatures {
        var boundaries: [CacheBoundary] = []
        for (index, block) in blocks.enumerated() {
            guard let kind = block.kind else { continue }
            boundaries.append(
                CacheBoundary(
                    location: .message(index: index, block: 0), kind: kind, blockPosition: index,
                    prefixTokens: Self.scaled(prefixTokens[index], estimateScale), prefixHash: prefixHashes[index]))
        }
        return CacheRequestFeatures(
            model: model, client: client, boundaries: boundaries,
            totalTokens: Self.scaled(prefixTokens.last ?? 0, estimateScale))
    }

    static func scaled(_ tokens: Int, _ scale: Double) -> Int {
        scale == 1 ? tokens : Int((Double(tokens) * scale).rounded())
    }
}
