import ClaudeAPI
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response read off a raw socket.
struct RawResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// `error.type`, `error.message` and `request_id` when the body is the API's error shape
    /// (`{"type":"error","error":{"type","message"},"request_id"}`, the request id optional).
    var apiError: (type: String, message: String, requestID: String?)? {
        guard let json = try? JSONValue.parse(body), json["type"]?.stringValue == "error",
            let type = json["error"]?["type"]?.stringValue, let message = json["error"]?["message"]?.stringValue
        else { return nil }
        return (type, message, json["request_id"]?.stringValue)
    }
}

/// A blocking HTTP/1.1 client over a plain socket, for what a well-behaved client cannot send (malformed requests,
/// half-sent headers). Every call must run off Swift's cooperative pool (see `offThePool`): the servers under test
/// share it. Every read is bounded by a 10 s receive timeout.
enum RawHTTP {
    /// A socket connected to 127.0.0.1:`port`, or -1.
    static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Writes every byte; false when the peer closed or the write failed.
    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads until the peer closes (true) or the receive timeout passes or the connection fails (false).
    static func readToEnd(_ fd: Int32) -> (bytes: [UInt8], closedByPeer: Bool) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (out, true) }
            if n < 0 { return (out, errno == ECONNRESET) }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// Sends `request` on a new connection and reads the one response (the request should say
    /// `connection: close`, or be one the server closes after).
    static func exchange(port: Int, _ request: [UInt8]) -> RawResponse? {
        let fd = connect(port: port)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        send(fd, request)
        return parse(readToEnd(fd).bytes)
    }

    /// Parses the first response in `bytes` (body by `content-length`, decoded when chunked, else to the end).
    static func parse(_ bytes: [UInt8]) -> RawResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body[0..<length])
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = dechunked(body) ?? body
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// The payload of a chunked body (up to its last chunk, or as far as it is complete), nil when a chunk's size
    /// line is not hexadecimal.
    static func dechunked(_ bytes: [UInt8]) -> [UInt8]? {
        var payload: [UInt8] = []
        var i = 0
        while let lineEnd = (i..<max(i, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) {
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
            let start = lineEnd + 2
            guard size > 0, start + size <= bytes.count else { break }
            payload += bytes[start..<start + size]
            i = start + size + 2
        }
        return payload
    }

    /// A request's bytes: the request line, `headers` (plus `host`, `connection: close` and `content-length` when
    /// there is a body), and the body.
    static func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "content-length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + (body ?? [])
    }
}

/// Runs blocking work on a thread of its own, so the cooperative pool keeps serving the servers under test.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
