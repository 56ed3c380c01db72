/// The router's own request ids (`x-router-request-id`).
enum RequestID {
    /// A fresh router request id (`rtr_` and two random 64-bit numbers in base 36, from the kernel's generator).
    static func make() -> String {
        let a = RandomPool.shared.next()
        let b = RandomPool.shared.next()
        return "rtr_" + String(a, radix: 36) + String(b, radix: 36)
    }
}
