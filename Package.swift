// swift-tools-version:6.1
import PackageDescription
import class Foundation.ProcessInfo

/// Swift 6 language mode and the upcoming features the house style asks for, on every target.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Nonisolated async functions run on their caller's executor instead of hopping to the generic one: 23 fewer
    // executor switches per request on the event loop (docs/benchmarks-overhead.md, sixth pass).
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

/// `CLAUDE_ROUTER_CORE_ONLY=1` leaves out the targets that need Hummingbird, for a fast inner loop on the
/// pure libraries (`ClaudeAPI`, `RouterCore`, `PolicyYAML`, `UsageLedger`). CI and the README build everything.
let coreOnly = ProcessInfo.processInfo.environment["CLAUDE_ROUTER_CORE_ONLY"] != nil

var products: [Product] = [
    .library(name: "ClaudeAPI", targets: ["ClaudeAPI"]),
    .library(name: "RouterCore", targets: ["RouterCore"]),
]

var targets: [Target] = [
    .systemLibrary(
        name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
        providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
        name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
        providers: [.apt(["libsqlite3-dev"])]),
    .target(name: "ClaudeAPI", swiftSettings: strict),
    .target(
        name: "RouterCore",
        dependencies: ["ClaudeAPI"],
        swiftSettings: strict),
    .target(
        name: "PolicyYAML",
        dependencies: ["RouterCore", .product(name: "Yams", package: "Yams")],
        swiftSettings: strict, plugins: ["EmbedPolicies"]),
    // policies/ embedded in PolicyYAML at build time (`PolicyLoader.embeddedDefaults()`), so `serve` needs no
    // policy directory and the embedded copy cannot drift from the files.
    .plugin(name: "EmbedPolicies", capability: .buildTool(), dependencies: ["PolicyEmbedder"]),
    .executableTarget(name: "PolicyEmbedder", swiftSettings: strict),
    .target(
        name: "UsageLedger",
        dependencies: ["CSQLite", "ClaudeAPI", "RouterCore"],
        swiftSettings: strict),
    .testTarget(
        name: "ClaudeAPITests", dependencies: ["ClaudeAPI"], resources: [.copy("Fixtures")], swiftSettings: strict),
    .testTarget(name: "RouterCoreTests", dependencies: ["RouterCore", "PolicyYAML"], swiftSettings: strict),
    .testTarget(name: "PolicyYAMLTests", dependencies: ["PolicyYAML"], swiftSettings: strict),
    .testTarget(name: "UsageLedgerTests", dependencies: ["UsageLedger"], swiftSettings: strict),
    // The same store on PostgreSQL (postgres-nio), for several replicas (issue 15, docs/ledger.md); and the one test
    // suite both stores pass (the PostgreSQL half needs CLAUDE_ROUTER_TEST_PG_URL; `.ci/run` starts a server).
    .target(
        name: "UsageLedgerPostgres",
        dependencies: [
            "UsageLedger", "RouterCore", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: strict),
    .testTarget(
        name: "LedgerStoreTests", dependencies: ["UsageLedger", "UsageLedgerPostgres", "RouterCore"],
        swiftSettings: strict),
    // Helpers shared by the test targets (running a command off the cooperative pool).
    .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
]

// Evaluation code (issue 11), not linked into the service: trace generators, the prompt-cache model and replays
// (docs/cache-planning.md), routing evaluation against hand-labelled requests (`policy eval`, docs/routing.md), and the
// trainer that rebuilds the shipped router model from the labels. Core-only, so all build in the fast inner loop.
targets += [
    .target(name: "RouterEvaluation", dependencies: ["RouterCore", "ClaudeAPI"], swiftSettings: strict),
    .executableTarget(
        name: "RouterModelTrainer", dependencies: ["RouterEvaluation", "RouterCore", "PolicyYAML", "ClaudeAPI"],
        path: "Benchmarks/RouterModelTrainer", swiftSettings: strict),
    .testTarget(
        name: "RouterEvaluationTests", dependencies: ["RouterEvaluation", "RouterCore", "PolicyYAML", "ClaudeAPI"],
        swiftSettings: strict),
    // In-process CPU per routing decision (Benchmarks/route-bench/compare.sh builds it at an older commit too).
    .executableTarget(
        name: "RouteBench", dependencies: ["RouterCore", "PolicyYAML", "ClaudeAPI"], path: "Benchmarks/RouteBench",
        swiftSettings: strict),
    .executableTarget(
        name: "CacheReplayBench", dependencies: ["RouterEvaluation", "RouterCore", "ClaudeAPI"],
        path: "Benchmarks/CacheReplayBench", swiftSettings: strict),
]

if !coreOnly {
    products.append(.executable(name: "claude-router", targets: ["ClaudeRouterCLI"]))
    targets += [
        .executableTarget(
            name: "LedgerBench", dependencies: ["UsageLedger", "UsageLedgerPostgres", "RouterCore"],
            path: "Benchmarks/LedgerBench",
            swiftSettings: strict),
        .target(
            name: "UpstreamCurl",
            dependencies: ["CCurl"],
            swiftSettings: strict),
        .target(
            name: "ClaudeSimulator",
            dependencies: [
                "ClaudeAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "RouterHTTP",
            dependencies: [
                "ClaudeAPI", "RouterCore", "PolicyYAML", "UpstreamCurl", "UsageLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "ClaudeRouterCLI",
            dependencies: [
                "ClaudeAPI", "RouterCore", "PolicyYAML", "UpstreamCurl", "UsageLedger", "ClaudeSimulator",
                "RouterHTTP", "RouterEvaluation", "UsageLedgerPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "UpstreamBench",
            dependencies: ["UpstreamCurl"],
            path: "Benchmarks/UpstreamBench",
            swiftSettings: strict),
        // The stack under the router with none of its work (Benchmarks/router-overhead/run.sh, FLOOR_BIN).
        .executableTarget(
            name: "HopFloor",
            dependencies: [
                "RouterHTTP", "UpstreamCurl", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Benchmarks/HopFloor",
            swiftSettings: strict),
        .testTarget(
            name: "UpstreamCurlTests",
            dependencies: [
                "UpstreamCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ClaudeSimulatorTests",
            dependencies: [
                "ClaudeSimulator", "UpstreamCurl", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        // Issue 15's end-to-end test: three `claude-router serve` processes (the built binary) on one PostgreSQL
        // behind a round-robin proxy, the simulator upstream (needs CLAUDE_ROUTER_TEST_PG_URL, like LedgerStoreTests).
        .testTarget(
            name: "ReplicaEndToEndTests",
            dependencies: [
                "ClaudeSimulator", "UpstreamCurl", "UsageLedgerPostgres", "UsageLedger", "RouterCore", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "RouterHTTPTests",
            dependencies: [
                "RouterHTTP", "ClaudeSimulator", "UpstreamCurl", "PolicyYAML", "RouterCore", "ClaudeAPI", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),
    ]
}

let package = Package(
    name: "claude-router",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Traces over OTLP/HTTP only: the OTLPGRPC trait (grpc-swift and its transport) is not built.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: targets
)
