import ClaudeAPI
import Foundation

/// Kind statistics and the sweep that keeps the table within its capacity.
extension PrefixStatsTable {
    mutating func addKind(_ update: KindObservation, key: KindKey, nowMillis: Int64) {
        let halfLife = halfLifeMillis
        func apply(_ record: inout KindRecord) {
            record.observation.scale(by: Self.decay(nowMillis - record.updatedMillis, halfLifeMillis: halfLife))
            record.updatedMillis = max(record.updatedMillis, nowMillis)
            record.observation.add(update)
            record.observation.keepRecent(window: Self.kindWindow)
        }
        // One look-up: update in place, or insert.
        if let index = kinds.index(forKey: key) {
            apply(&kinds.values[index])
        } else {
            guard key.client == 0 || kinds.count < Self.maxKindRecords else { return }
            var record = KindRecord(observation: .empty, updatedMillis: nowMillis)
            apply(&record)
            kinds[key] = record
        }
    }

    /// Drops the quarter of the entries with the lowest weight decayed to `nowMillis` (at least one): one O(n)
    /// pass per quarter of the capacity inserted.
    mutating func evict(nowMillis: Int64) {
        let drop = max(1, entries.count / 4)
        let weights = entries.values.map { $0.sightings * decay(nowMillis - $0.lastSeenMillis) }
        var scratch = weights
        let threshold = Self.select(&scratch, rank: drop - 1)
        // Everything under the threshold goes, then entries at it until `drop` are gone: O(n), no sort.
        var atThreshold = drop - weights.reduce(0) { $0 + ($1 < threshold ? 1 : 0) }
        entries.removeAll { position in
            if weights[position] < threshold { return true }
            guard weights[position] == threshold, atThreshold > 0 else { return false }
            atThreshold -= 1
            return true
        }
    }

    /// The value of rank `rank` (0-based) in ascending order: quickselect, reordering `values`.
    static func select(_ values: inout [Double], rank: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            // Median of three as the pivot, then a three-way partition (many weights are equal).
            let mid = low + (high - low) / 2
            let pivot = max(min(values[low], values[mid]), min(max(values[low], values[mid]), values[high]))
            var lt = low
            var i = low
            var gt = high
            while i <= gt {
                if values[i] < pivot {
                    values.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if values[i] > pivot {
                    values.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return pivot
            }
        }
        return values[low]
    }

    /// Every key and record, for tests and diagnostics: numbers only, by construction.
    public var dump: [(key: UInt64, sightings: Double, lastSeenMillis: Int64)] {
        zip(entries.keys, entries.values).map { ($0, $1.sightings, $1.lastSeenMillis) }.sorted { $0.key < $1.key }
    }
}
