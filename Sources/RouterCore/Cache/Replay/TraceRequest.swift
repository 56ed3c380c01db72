import ClaudeAPI

/// One request of a Mooncake-format trace: arrival, token counts, and the ids of its 512-token prefix blocks.
///
/// Equal leading `hash_ids` mean a shared prefix. The replay treats each block as one content block of the
/// request, so a block boundary is a candidate breakpoint and the API's 20-block lookback counts blocks.
public struct TraceRequest: Sendable, Hashable {
    /// Arrival in milliseconds from the start of the trace.
    public var timestampMillis: Int64
    /// Prompt tokens.
    public var inputLength: Int
    /// Completion tokens.
    public var outputLength: Int
    /// Ids of the prompt's 512-token blocks, in order.
    public var hashIDs: [Int]

    /// Tokens per block in the Mooncake traces.
    public static let blockTokens = 512

    /// Creates a request.
    public init(timestampMillis: Int64, inputLength: Int, outputLength: Int, hashIDs: [Int]) {
        self.timestampMillis = timestampMillis
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.hashIDs = hashIDs
    }

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
        return hashIDs.map { id in
            var x = hash ^ (UInt64(bitPattern: Int64(id)) &+ 0x9E37_79B9_7F4A_7C15)
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            hash = x ^ (x >> 31)
            return hash
        }
    }

    /// The tokens of the prefix ending at each block (the last block holds the remainder).
    public var prefixTokens: [Int] {
        hashIDs.indices.map { min(($0 + 1) * Self.blockTokens, inputLength) }
    }

    /// The planner's view of this request: a boundary after every block, the last one ending the conversation.
    public func features(model: String, prefixHashes: [UInt64], prefixTokens: [Int]) -> CacheRequestFeatures {
        let boundaries = hashIDs.indices.map { index in
            CacheBoundary(
                location: .message(index: index, block: 0), kind: index == hashIDs.count - 1 ? .conversation : .message,
                blockPosition: index, prefixTokens: prefixTokens[index], prefixHash: prefixHashes[index])
        }
        return CacheRequestFeatures(model: model, boundaries: boundaries, totalTokens: inputLength)
    }
}
