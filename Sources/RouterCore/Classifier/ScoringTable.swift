/// The classifier's lookup at classification time: feature hash → dense id and that feature's per-label log
/// likelihoods, in one open-addressing slot.
///
/// `FeatureVocabulary` then `NaiveBayesModel.logLikelihoods` is two dependent cache misses per feature occurrence
/// (the id, then its row), and a 2 KB prompt has ~4,000 occurrences: that was most of the classifier's time. Here
/// the probe lands on the slot that already holds the row, so a known feature costs one miss. The values are the
/// model's own `Float`s, copied, so scores (and predictions) are bit-for-bit those of the two-table lookup.
struct ScoringTable: Sendable {
    /// Per slot: the key's low and high 32 bits (0, 0 marks an empty slot, as in `FeatureVocabulary`), the dense
    /// id, then `labelCount` `Float` bit patterns.
    private let words: [UInt32]
    private let stride: Int
    private let mask: Int
    let labelCount: Int

    init(vocabulary: FeatureVocabulary, logLikelihoods: [Float], labelCount: Int) {
        var size = 16
        while size < vocabulary.count * 2 { size <<= 1 }
        let stride = 3 + labelCount
        var words = [UInt32](repeating: 0, count: size * stride)
        let mask = size - 1
        words.withUnsafeMutableBufferPointer { words in
            logLikelihoods.withUnsafeBufferPointer { rows in
                vocabulary.forEachEntry { key, id in
                    var slot = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
                    while words[slot &* stride] != 0 || words[slot &* stride &+ 1] != 0 { slot = (slot &+ 1) & mask }
                    let base = slot &* stride
                    words[base] = UInt32(truncatingIfNeeded: key)
                    words[base &+ 1] = UInt32(truncatingIfNeeded: key >> 32)
                    words[base &+ 2] = UInt32(bitPattern: id)
                    let row = Int(id) &* labelCount
                    for label in 0..<labelCount { words[base &+ 3 &+ label] = rows[row &+ label].bitPattern }
                }
            }
        }
        self.words = words
        self.stride = stride
        self.mask = mask
        self.labelCount = labelCount
    }

    /// Calls `body` with a lookup valid for its duration (buffer access without per-lookup array overhead).
    func withLookup<R>(_ body: (Lookup) -> R) -> R {
        words.withUnsafeBufferPointer { body(Lookup(words: $0, stride: stride, mask: mask)) }
    }

    /// One borrowed view of the table.
    struct Lookup {
        let words: UnsafeBufferPointer<UInt32>
        let stride: Int
        let mask: Int

        /// The slot's word offset for `hash` (its id at `+2`, its row from `+3`), or -1 for an unknown feature.
        @inline(__always)
        func slot(of hash: UInt64) -> Int {
            let key = hash == 0 ? 1 : hash
            let low = UInt32(truncatingIfNeeded: key)
            let high = UInt32(truncatingIfNeeded: key >> 32)
            var slot = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
            while true {
                let base = slot &* stride
                let storedLow = words[base]
                let storedHigh = words[base &+ 1]
                if storedLow == low && storedHigh == high { return base }
                if storedLow == 0 && storedHigh == 0 { return -1 }
                slot = (slot &+ 1) & mask
            }
        }

        /// The dense id stored at `base`.
        @inline(__always)
        func id(at base: Int) -> Int32 { Int32(bitPattern: words[base &+ 2]) }

        /// Label `label`'s log likelihood stored at `base`.
        @inline(__always)
        func logLikelihood(at base: Int, label: Int) -> Float { Float(bitPattern: words[base &+ 3 &+ label]) }
    }
}
