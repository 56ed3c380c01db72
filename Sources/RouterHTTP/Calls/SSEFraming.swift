/// Where server-sent events end in a run of bytes, so a relay can pass on whole events only.
enum SSEFraming {
    /// The offset just past the last complete event in `bytes` (an event ends with a blank line: `\n\n`, or
    /// `\r\n\r\n`), or nil when no event ends in it.
    static func endOfLastEvent(_ bytes: some BidirectionalCollection<UInt8>) -> Int? {
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        var index = bytes.endIndex
        var offset = bytes.count
        // Walk back to the last line feed that closes an empty line.
        while index != bytes.startIndex {
            let at = bytes.index(before: index)
            if bytes[at] == lf, at != bytes.startIndex {
                let before = bytes.index(before: at)
                if bytes[before] == lf { return offset }
                if bytes[before] == cr, before != bytes.startIndex, bytes[bytes.index(before: before)] == lf {
                    return offset
                }
            }
            index = at
            offset -= 1
        }
        return nil
    }
}
