import RouterCore
import Testing

@testable import RouterHTTP

@Suite struct MetricsExpositionTests {
    @Test func exposesCountersGaugesAndHistogramsInTextFormat004() {
        let registry = MetricsRegistry()
        let requests = registry.counter("app_requests_total", help: "Requests served.", labels: ["model", "status"])
        let depth = registry.gauge("app_queue_depth", help: "Waiting requests.")
        let latency = registry.histogram(
            "app_latency_seconds", help: "Latency.", labels: ["model"], buckets: [0.1, 1, 2.5])
        let ok = requests.labels("opus", "200")
        ok.increment()
        ok.increment(by: 2)
        requests.labels("haiku", "529").increment()
        depth.labels().set(7)
        let opus = latency.labels("opus")
        opus.observe(0.05)
        opus.observe(0.5)
        opus.observe(Duration.seconds(3))

        let expected = """
            # HELP app_requests_total Requests served.
            # TYPE app_requests_total counter
            app_requests_total{model="opus",status="200"} 3
            app_requests_total{model="haiku",status="529"} 1
            # HELP app_queue_depth Waiting requests.
            # TYPE app_queue_depth gauge
            app_queue_depth 7
            # HELP app_latency_seconds Latency.
            # TYPE app_latency_seconds histogram
            app_latency_seconds_bucket{model="opus",le="0.1"} 1
            app_latency_seconds_bucket{model="opus",le="1"} 2
            app_latency_seconds_bucket{model="opus",le="2.5"} 2
            app_latency_seconds_bucket{model="opus",le="+Inf"} 3
            app_latency_seconds_sum{model="opus"} 3.55
            app_latency_seconds_count{model="opus"} 3

            """
        #expect(registry.exposition() == expected)
    }

    @Test func escapesLabelValuesAndHelpText() {
        let registry = MetricsRegistry()
        let family = registry.counter("app_errors_total", help: "Errors \\ by\ntype.", labels: ["type"])
        family.labels("say \"hi\"\\\nbye").increment()
        #expect(
            registry.exposition() == """
                # HELP app_errors_total Errors \\\\ by\\ntype.
                # TYPE app_errors_total counter
                app_errors_total{type="say \\"hi\\"\\\\\\nbye"} 1

                """)
    }

    @Test func resolvingTheSameLabelsTwiceGivesTheSameSeries() {
        let family = MetricsRegistry().counter("app_total", help: "h", labels: ["a"])
        #expect(family.labels("x") === family.labels("x"))
        #expect(family.labels("x") !== family.labels("y"))
    }

    @Test func anUnlabelledCounterIsExposedAsZeroBeforeItsFirstIncrement() {
        let registry = MetricsRegistry()
        _ = registry.counter("app_started_total", help: "h")
        #expect(registry.exposition().contains("\napp_started_total 0\n"))
    }

    @Test func countersNeverGoDown() {
        let counter = Counter()
        counter.increment(by: 5)
        counter.increment(by: -3)
        #expect(counter.current == 5)
    }

    @Test func collectorsRunBeforeEachExposition() {
        let registry = MetricsRegistry()
        let gauge = registry.gauge("app_value", help: "h").labels()
        let source = Counter()
        registry.onCollect { gauge.set(source.current) }
        source.increment(by: 4)
        #expect(registry.exposition().contains("app_value 4\n"))
    }

    @Test func routerMetricsRecordTokensByKindAndExactCost() {
        let metrics = RouterMetrics()
        metrics.recordUsage(
            model: "claude-sonnet-5", taskType: "code", client: "dev",
            usage: TokenUsage(input: 100, output: 20, cacheRead: 5_000), cost: Money(nanoUSD: 1_234_567))
        metrics.recordUsage(
            model: "claude-sonnet-5", taskType: "code", client: "dev", usage: TokenUsage(input: 1),
            cost: Money(nanoUSD: 3))
        metrics.recordUsage(
            model: "claude-sonnet-5", taskType: "code", client: "other", usage: TokenUsage(input: 4_899),
            cost: Money(nanoUSD: 5))
        let text = metrics.registry.exposition()
        #expect(
            text.contains(
                "claude_router_tokens_total{model=\"claude-sonnet-5\",task_type=\"code\",client=\"dev\",kind=\"input\"} 101\n"))
        #expect(text.contains("client=\"other\",kind=\"input\"} 4899\n"))
        // 5,000 cache-read tokens of 10,000 input tokens.
        #expect(text.contains("claude_router_cache_hit_ratio 0.5\n"))
        #expect(text.contains("kind=\"cache_read\"} 5000\n"))
        #expect(!text.contains("kind=\"cache_write_5m\""))
        #expect(
            text.contains(
                "claude_router_cost_nanodollars_total{model=\"claude-sonnet-5\",task_type=\"code\",client=\"dev\"} 1234570\n"))
    }

    @Test func routerMetricsExposeLaneHeadroomAndQueueDepth() {
        let metrics = RouterMetrics()
        metrics.update(from: [
            LaneSnapshot(
                bucket: "opus-4",
                headroom: Headroom(requests: 49, inputTokens: 28_000, outputTokens: nil),
                interactiveDepth: 2, backgroundDepth: 5)
        ])
        let text = metrics.registry.exposition()
        #expect(text.contains("claude_router_queue_depth{bucket=\"opus-4\",priority=\"interactive\"} 2\n"))
        #expect(text.contains("claude_router_queue_depth{bucket=\"opus-4\",priority=\"background\"} 5\n"))
        #expect(text.contains("claude_router_ratelimit_remaining{bucket=\"opus-4\",limit=\"rpm\"} 49\n"))
        #expect(text.contains("claude_router_ratelimit_remaining{bucket=\"opus-4\",limit=\"itpm\"} 28000\n"))
        #expect(!text.contains("limit=\"otpm\""))
    }
}
