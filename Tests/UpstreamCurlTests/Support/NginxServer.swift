import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real TLS + HTTP/2 server for the tests: nginx on 127.0.0.1 with a self-signed certificate made at test time,
/// its own temporary prefix and configuration, stopped (and its directory removed) when the test ends.
///
/// nginx runs as one process (`master_process off; daemon off;`) so there is exactly one process to stop.
/// nginx cannot report a port it picked, so the helper takes a free port from the kernel (bind to port 0, read it,
/// close) and retries a few times if nginx then fails to bind it.
final class NginxServer: @unchecked Sendable {
    // `@unchecked Sendable`: every field is written once in `init` and only read afterwards (Process is thread-safe
    // for `isRunning`/`terminate`).

    /// The port nginx listens on (127.0.0.1).
    let port: Int
    /// The PEM certificate nginx presents; trust it with `caBundlePath`.
    let certificatePath: String
    /// Where `/files/large.bin` lives, with `largeFileSize` bytes of `TestServer.pattern`.
    static let largeFileSize = 3 * 1024 * 1024 + 17

    private let directory: URL
    private let process: Process

    private init(port: Int, certificatePath: String, directory: URL, process: Process) {
        self.port = port
        self.certificatePath = certificatePath
        self.directory = directory
        self.process = process
    }

    /// The base URL, e.g. `https://127.0.0.1:PORT`.
    var baseURL: String { "https://127.0.0.1:\(port)" }

    /// The nginx and openssl executables, or `nil` when either is missing (the tests are then skipped).
    static let binaries: (nginx: String, openssl: String)? = {
        guard let nginx = findExecutable("nginx"), let openssl = findExecutable("openssl") else { return nil }
        return (nginx, openssl)
    }()

    /// Why the TLS tests are skipped when they are.
    static let skipReason: Comment =
        "nginx and openssl are not installed (Debian: apt-get install nginx-light openssl): TLS/HTTP/2 tests skipped"

    /// Runs `body` against a fresh server, then stops it.
    static func with<T: Sendable>(_ body: @Sendable (NginxServer) async throws -> T) async throws -> T {
        guard let binaries else { throw NginxError(message: "nginx or openssl missing") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "upstream-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("www/files"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let openssl = try await runToCompletion(
            binaries.openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        guard openssl == 0 else { throw NginxError(message: "openssl req exited with \(openssl)") }
        let large = TestServer.pattern(from: 0, count: largeFileSize)
        try Data(large).write(to: directory.appendingPathComponent("www/files/large.bin"))

        var lastError = NginxError(message: "nginx did not start")
        for _ in 0..<5 {
            let port = try freePort()
            let config = directory.appendingPathComponent("nginx.conf")
            try configuration(directory: directory.path, port: port, certificate: certificate, key: key)
                .write(to: config, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binaries.nginx)
            process.arguments = [
                "-p", directory.path + "/", "-c", config.path, "-e", directory.appendingPathComponent("error.log").path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = NginxServer(
                port: port, certificatePath: certificate, directory: directory, process: process)
            guard await server.waitUntilListening() else {
                await server.stop()
                let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8))
                lastError = NginxError(message: "nginx did not start on port \(port): \(log ?? "(no log)")")
                continue
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            await server.stop()
            return try result.get()
        }
        throw lastError
    }

    private static func configuration(directory: String, port: Int, certificate: String, key: String) -> String {
        """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events { worker_connections 512; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            server {
                listen 127.0.0.1:\(port) ssl http2;
                ssl_certificate \(certificate);
                ssl_certificate_key \(key);
                http2_max_concurrent_streams 128;
                root \(directory)/www;
                location = /hello { default_type text/plain; return 200 "hello over h2"; }
                location /files/ { default_type application/octet-stream; }
            }
        }
        """
    }

    /// Polls until a TCP connection to the port succeeds (bounded: 10 s), or nginx exited.
    private func waitUntilListening() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if !process.isRunning { return false }
            if Self.canConnect(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Stops nginx (SIGTERM, then SIGKILL after 5 s) and waits for it to exit, without blocking a thread.
    private func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs a short command to completion (bounded: 30 s) and returns its exit status.
    private static func runToCompletion(_ path: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw NginxError(message: "\(path) did not finish in 30 s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    private static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port the kernel considers free right now (bound to port 0 on 127.0.0.1, read back, released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NginxError(message: "socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw NginxError(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw NginxError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connect to 127.0.0.1:port succeeds (loopback: answers at once, so the blocking call is tiny).
    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// Why the test nginx could not be set up.
struct NginxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
