/// The statistics table's store: prefix keys to entries, in dense arrays with an open-addressing index.
///
/// Keys are already well mixed (`PrefixStatsTable.entryKey`), so a slot is the key's low bits: no second hash,
/// which with `Dictionary` (SipHash on every look-up) was the largest single cost of planning. Entries stay at
/// their position until `removeAll(where:)`, which rebuilds both arrays and the index (the table evicts a quarter
/// at a time, so that is amortised O(1) per insert).
struct PrefixEntryTable<Entry: Sendable>: Sendable {
    /// Keys, in insertion order; `keys[i]` is the key of `values[i]`.
    private(set) var keys: [UInt64] = []
    /// Entries, at the same positions as their keys.
    var values: [Entry] = []
    /// Slot → position + 1 (0 is an empty slot); a power of two, at most half full.
    private var index: [Int32] = Array(repeating: 0, count: 16)

    /// Changes whenever positions may have: on every insert and removal (not on updates in place).
    private(set) var generation: UInt64 = 0

    /// The number of entries.
    var count: Int { keys.count }

    /// The position of `key`, or nil.
    @inline(__always)
    func position(of key: UInt64) -> Int? {
        let mask = index.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        return index.withUnsafeBufferPointer { index in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let stored = Int(index[slot])
                    if stored == 0 { return nil }
                    if keys[stored - 1] == key { return stored - 1 }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The entry of `key`, or nil.
    subscript(key: UInt64) -> Entry? {
        position(of: key).map { values[$0] }
    }

    /// Adds `entry` under `key`, which must not be in the table; returns its position.
    @discardableResult
    mutating func insert(_ entry: Entry, for key: UInt64) -> Int {
        if (keys.count + 1) * 2 > index.count { rebuildIndex(slots: index.count * 2) }
        generation &+= 1
        keys.append(key)
        values.append(entry)
        place(key, at: keys.count - 1)
        return keys.count - 1
    }

    /// Removes every entry whose position `drop` is true for (called once per position, in order); positions change.
    mutating func removeAll(where drop: (Int) -> Bool) {
        generation &+= 1
        var keptKeys: [UInt64] = []
        var keptValues: [Entry] = []
        keptKeys.reserveCapacity(keys.count)
        keptValues.reserveCapacity(keys.count)
        for i in keys.indices where !drop(i) {
            keptKeys.append(keys[i])
            keptValues.append(values[i])
        }
        keys = keptKeys
        values = keptValues
        var slots = 16
        while slots < keys.count * 2 + 2 { slots *= 2 }
        rebuildIndex(slots: slots)
    }

    private mutating func rebuildIndex(slots: Int) {
        index = Array(repeating: 0, count: slots)
        for i in keys.indices { place(keys[i], at: i) }
    }

    private mutating func place(_ key: UInt64, at position: Int) {
        let mask = index.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while index[slot] != 0 { slot = (slot + 1) & mask }
        index[slot] = Int32(position + 1)
    }
}
