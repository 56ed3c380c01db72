/// Maps feature hashes to dense ids `0..<count`, by open addressing over one flat array.
///
/// Built once at training; a lookup is a mix, a mask and usually one probe, with no allocation, which is why
/// features are hashed rather than kept as strings. Key and id share a slot so a probe costs one cache miss.
struct FeatureVocabulary: Sendable {
    private struct Slot: Sendable {
        /// The feature hash; 0 marks an empty slot (a real hash of 0 is stored as 1).
        var key: UInt64
        var id: Int32
    }

    private var slots: [Slot]
    private var mask: Int
    /// Number of distinct features.
    private(set) var count: Int = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(key: 0, id: -1), count: size)
        mask = size - 1
    }

    /// The dense id of `hash`, or -1 when the feature was never seen in training.
    @inline(__always)
    func id(of hash: UInt64) -> Int32 {
        let key = hash == 0 ? 1 : hash
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
            while true {
                let slot = slots[index]
                if slot.key == key { return slot.id }
                if slot.key == 0 { return -1 }
                index = (index &+ 1) & mask
            }
        }
    }

    /// The dense ids of `hashes`, adding the new ones.
    mutating func insert(contentsOf hashes: [UInt64]) -> [Int32] {
        // Grow first so the loop below never has to; it runs over buffer pointers, which keeps training fast in
        // debug builds too. The load stays at or under one half so probes stay short.
        while (count + hashes.count) * 2 > slots.count { grow() }
        var result = [Int32](repeating: 0, count: hashes.count)
        var added = 0
        let mask = mask
        let first = count
        slots.withUnsafeMutableBufferPointer { slots in
            result.withUnsafeMutableBufferPointer { result in
                hashes.withUnsafeBufferPointer { hashes in
                    for position in 0..<hashes.count {
                        let key = hashes[position] == 0 ? 1 : hashes[position]
                        var index = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
                        while slots[index].key != 0 && slots[index].key != key { index = (index &+ 1) & mask }
                        if slots[index].key == 0 {
                            slots[index] = Slot(key: key, id: Int32(first &+ added))
                            added &+= 1
                        }
                        result[position] = slots[index].id
                    }
                }
            }
        }
        count += added
        return result
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, id: -1), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var index = Int(truncatingIfNeeded: FeatureHash.mix(slot.key)) & mask
            while slots[index].key != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
