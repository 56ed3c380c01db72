/// The router's own request ids (`x-router-request-id`).
enum RequestID {
    /// A fresh router request id (`rtr_` and two random 64-bit numbers in base 36).
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let a = rng.next() as UInt64
        let b = rng.next() as UInt64
        return "rtr_" + String(a, radix: 36) + String(b, radix: 36)
    }
}
