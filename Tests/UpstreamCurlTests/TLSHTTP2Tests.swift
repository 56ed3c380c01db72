import Foundation
import Testing

@testable import UpstreamCurl

/// The client against a real TLS + HTTP/2 server (nginx with a certificate made for the test): verification,
/// trust of a private CA, ALPN negotiation of HTTP/2, multiplexing and streamed bodies end to end.
@Suite(.enabled(if: NginxServer.binaries != nil, NginxServer.skipReason), .timeLimit(.minutes(5)))
struct TLSHTTP2Tests {
    @Test(arguments: Driver.singleHandle)
    func verificationIsOnByDefaultAndRejectsAnUntrustedCertificate(driver: Driver) async throws {
        try await NginxServer.with { server in
            let client = driver.client()
            let error = await #expect(throws: UpstreamError.self) {
                try await client.execute(UpstreamRequest(url: "\(server.baseURL)/hello"))
            }
            #expect(error?.code == .tls)
            // A TLS failure happens before any response byte: a retry decision may treat it as not sent.
            #expect(error?.receivedResponse == false)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func trustingTheCertificateThroughCABundlePathSucceedsOverHTTP2(driver: Driver) async throws {
        try await NginxServer.with { server in
            let client = driver.client(configuration: .init(caBundlePath: server.certificatePath))
            let response = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/hello"))
            #expect(response.status == 200)
            #expect(response.httpVersion == "HTTP/2")
            #expect(response.header("Content-Type") == "text/plain")
            #expect(try await response.body.collect(upTo: 1024) == Array("hello over h2".utf8))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func http1OnlyConfigurationStaysOnHTTP1OverTLS(driver: Driver) async throws {
        try await NginxServer.with { server in
            let client = driver.client(configuration: .init(httpVersion: .http1, caBundlePath: server.certificatePath))
            let response = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/hello"))
            #expect(response.httpVersion == "HTTP/1.1")
            #expect(try await response.body.collect(upTo: 1024) == Array("hello over h2".utf8))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func concurrentRequestsMultiplexOverOneConnection(driver: Driver) async throws {
        try await NginxServer.with { server in
            // Room for 64 connections: only multiplexing (and PIPEWAIT) keeps them on one.
            let client = driver.client(
                configuration: .init(maxConnectionsPerHost: 64, caBundlePath: server.certificatePath))
            let count = 100
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        let response = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/hello"))
                        _ = try await response.body.collect(upTo: 1024)
                        return response.httpVersion
                    }
                }
                var versions: [String] = []
                for try await version in group { versions.append(version) }
                #expect(versions == Array(repeating: "HTTP/2", count: count))
            }
            let metrics = client.metrics
            #expect(metrics.transfersCompleted == count)
            #expect(metrics.connectionsOpened == 1)
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func largeBodyStreamsOverHTTP2WithBackpressure(driver: Driver) async throws {
        try await NginxServer.with { server in
            let client = driver.client(
                configuration: .init(
                    caBundlePath: server.certificatePath, bodyHighWaterMark: 64 * 1024, bodyLowWaterMark: 16 * 1024))
            let response = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/files/large.bin"))
            #expect(response.httpVersion == "HTTP/2")
            var received: [UInt8] = []
            var chunks = 0
            for try await chunk in response.body {
                received += chunk
                chunks += 1
                if chunks % 8 == 0 { await Task.yield() }
            }
            #expect(chunks > 1)
            #expect(received == TestServer.pattern(from: 0, count: NginxServer.largeFileSize))
            await client.shutdown()
        }
    }

    @Test(arguments: Driver.singleHandle)
    func cancellingAStreamLeavesTheSharedConnectionUsable(driver: Driver) async throws {
        try await NginxServer.with { server in
            let client = driver.client(
                configuration: .init(
                    caBundlePath: server.certificatePath, bodyHighWaterMark: 64 * 1024, bodyLowWaterMark: 16 * 1024))
            let response = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/files/large.bin"))
            // Exceeding the collect limit cancels the transfer mid-body.
            let error = await #expect(throws: UpstreamError.self) { try await response.body.collect(upTo: 1024) }
            #expect(error?.code == .responseTooLarge)
            // Over HTTP/2 cancelling resets one stream, not the connection: the next request reuses it.
            let next = try await client.execute(UpstreamRequest(url: "\(server.baseURL)/hello"))
            #expect(try await next.body.collect(upTo: 1024) == Array("hello over h2".utf8))
            #expect(client.metrics.connectionsOpened == 1)
            await client.shutdown()
        }
    }
}
