/// Maps feature hashes to dense ids `0..<count`, by open addressing over flat arrays.
///
/// Built once at training; a lookup is a multiply, a mask and usually one probe, with no allocation, which is why
/// features are hashed rather than kept as strings.
struct FeatureVocabulary: Sendable {
    /// Hash per slot; 0 marks an empty slot (a real hash of 0 is stored as 1).
    private var keys: [UInt64]
    private var ids: [Int32]
    private var mask: Int
    /// Number of distinct features.
    private(set) var count: Int = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        ids = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The dense id of `hash`, or -1 when the feature was never seen in training.
    @inline(__always)
    func id(of hash: UInt64) -> Int32 {
        let key = hash == 0 ? 1 : hash
        var slot = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
        while true {
            let stored = keys[slot]
            if stored == key { return ids[slot] }
            if stored == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// The dense id of `hash`, adding it when new.
    mutating func insert(_ hash: UInt64) -> Int32 {
        let key = hash == 0 ? 1 : hash
        var slot = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
        while true {
            let stored = keys[slot]
            if stored == key { return ids[slot] }
            if stored == 0 { break }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        keys[slot] = key
        ids[slot] = id
        count += 1
        // Keep the load at or under one half so probes stay short.
        if count * 2 > keys.count { grow() }
        return id
    }

    /// The dense ids of `hashes`, adding the new ones: the bulk form of `insert(_:)` used at training.
    mutating func insert(contentsOf hashes: [UInt64]) -> [Int32] {
        // Grow first so the loop below never has to: it runs over buffer pointers, which keeps training fast in
        // debug builds too.
        while (count + hashes.count) * 2 > keys.count { grow() }
        var result = [Int32](repeating: 0, count: hashes.count)
        var added = 0
        let mask = mask
        let first = count
        keys.withUnsafeMutableBufferPointer { keys in
            ids.withUnsafeMutableBufferPointer { ids in
                result.withUnsafeMutableBufferPointer { result in
                    for position in 0..<hashes.count {
                        let key = hashes[position] == 0 ? 1 : hashes[position]
                        var slot = Int(truncatingIfNeeded: FeatureHash.mix(key)) & mask
                        while keys[slot] != 0 && keys[slot] != key { slot = (slot &+ 1) & mask }
                        if keys[slot] == 0 {
                            keys[slot] = key
                            ids[slot] = Int32(first &+ added)
                            added &+= 1
                        }
                        result[position] = ids[slot]
                    }
                }
            }
        }
        count += added
        return result
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldIds = ids
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        ids = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for index in oldKeys.indices where oldKeys[index] != 0 {
            var slot = Int(truncatingIfNeeded: FeatureHash.mix(oldKeys[index])) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            ids[slot] = oldIds[index]
        }
    }
}
