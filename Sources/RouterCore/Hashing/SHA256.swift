/// A small SHA-256 (FIPS 180-4), for policy content hashes and client-key fingerprints.
///
/// No crypto package is a dependency of the core. A client's key is hashed on every request, so `digest` allocates
/// only its result. Verified against the FIPS test vectors, and against `hashlib` at every padding boundary.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    ///
    /// Allocates only the result: whole blocks are read from `bytes` in place, the padded tail goes through a
    /// 128-byte stack buffer, and the message schedule is a stack buffer too (a client's key is hashed on every
    /// request).
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var state = State()
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            bytes.withUnsafeBufferPointer { input in
                let whole = input.count / 64 * 64
                var offset = 0
                while offset < whole {
                    state.compress(UnsafeBufferPointer(rebasing: input[offset..<offset + 64]), schedule: w)
                    offset += 64
                }
                // The tail, 0x80, zeros to 56 mod 64, then the length in bits, big-endian: one or two blocks.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                    let rest = input.count - whole
                    let blocks = rest < 56 ? 1 : 2
                    for i in 0..<rest { tail[i] = input[whole + i] }
                    tail[rest] = 0x80
                    for i in (rest + 1)..<(blocks * 64 - 8) { tail[i] = 0 }
                    let bitLength = UInt64(input.count) &* 8
                    for i in 0..<8 {
                        tail[blocks * 64 - 8 + i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - i * 8))
                    }
                    let padded = UnsafeBufferPointer(tail)
                    for block in 0..<blocks {
                        state.compress(
                            UnsafeBufferPointer(rebasing: padded[block * 64..<block * 64 + 64]), schedule: w)
                    }
                }
            }
        }
        return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            state.write(to: out)
            count = 32
        }
    }

    /// The eight working words, updated one 64-byte block at a time.
    private struct State {
        var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19

        /// Writes the digest, big-endian, to `out` (32 bytes).
        func write(to out: UnsafeMutableBufferPointer<UInt8>) {
            for (index, word) in [h0, h1, h2, h3, h4, h5, h6, h7].enumerated() {
                for byte in 0..<4 { out[index * 4 + byte] = UInt8(truncatingIfNeeded: word >> UInt32(24 - byte * 8)) }
            }
        }

        /// FIPS 180-4 §6.2.2 for one block, with `w` (64 words) as the message schedule's storage.
        mutating func compress(_ block: UnsafeBufferPointer<UInt8>, schedule w: UnsafeMutableBufferPointer<UInt32>) {
            for i in 0..<16 {
                let j = i * 4
                w[i] =
                    UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8
                    | UInt32(block[j + 3])
            }
            for i in 16..<64 {
                let s0 = SHA256.rotr(w[i - 15], 7) ^ SHA256.rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = SHA256.rotr(w[i - 2], 17) ^ SHA256.rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h0, h1, h2, h3, h4, h5, h6, h7)
            for i in 0..<64 {
                let s1 = SHA256.rotr(e, 6) ^ SHA256.rotr(e, 11) ^ SHA256.rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ SHA256.k[i] &+ w[i]
                let s0 = SHA256.rotr(a, 2) ^ SHA256.rotr(a, 13) ^ SHA256.rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                hh = g
                g = f
                f = e
                e = d &+ t1
                d = c
                c = b
                b = a
                a = t1 &+ t2
            }
            h0 = h0 &+ a
            h1 = h1 &+ b
            h2 = h2 &+ c
            h3 = h3 &+ d
            h4 = h4 &+ e
            h5 = h5 &+ f
            h6 = h6 &+ g
            h7 = h7 &+ hh
        }
    }

    /// The digest of `bytes` as 64 lower-case hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(64)
        for byte in digest(bytes) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return out
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
